import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import GatewayCore
import GatewayHTTP
import InMemoryLogging
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A gateway and a development identity provider, both on real loopback sockets, for one test.
struct LiveStack {
    static let clientID = "gateway-client"
    static let clientSecret = "gateway secret/with+odd:chars%"
    static let jwtSecret = "test-jwt-secret-of-at-least-32-bytes!!"

    let provider: DevIdentityProvider
    let gatewayPort: Int
    let providerPort: Int
    /// The admin listener's port, when `ADMIN_PORT` was set.
    let adminPort: Int?
    let client: HTTPClient
    let logs: InMemoryLogHandler

    struct Answer {
        let status: Int
        let headers: HTTPHeaders
        let body: String
    }

    /// Starts the provider, then the gateway configured against it (plus `variables`), runs
    /// `body`, and stops both. `introspectionURL` replaces the provider's URL (e.g. a closed port).
    static func run(
        _ variables: [String: String] = [:], introspectionURL: String? = nil,
        _ body: (LiveStack) async throws -> Void
    ) async throws {
        let provider = DevIdentityProvider(clients: [clientID: clientSecret])
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "test") { _ in logs }
        logger.logLevel = .debug
        let (providerPorts, providerSink) = AsyncStream.makeStream(of: Int.self)
        let (gatewayPorts, gatewaySink) = AsyncStream.makeStream(of: Int.self)
        let (adminPorts, adminSink) = AsyncStream.makeStream(of: Int.self)
        let providerGroup = ServiceGroup(configuration: .init(
            services: [provider.makeApplication(host: "127.0.0.1", port: 0, logger: Logger(label: "dev-idp") { _ in SwiftLogNoOpLogHandler() }) { providerSink.yield($0) }],
            logger: logger))
        var clientConfiguration = HTTPClient.Configuration()
        clientConfiguration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: 256)
        let client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: clientConfiguration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { providerSink.finish() }
                try await providerGroup.run()
            }
            var providerIterator = providerPorts.makeAsyncIterator()
            guard let providerPort = await providerIterator.next() else { return try await group.waitForAll() }
            let environment = [
                "SSO_INTROSPECTION": introspectionURL ?? "http://127.0.0.1:\(providerPort)/introspect",
                "SSO_CLIENT_ID": clientID, "SSO_CLIENT_SECRET": clientSecret,
                "HOST": "127.0.0.1", "PORT": "0", "JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": jwtSecret,
                "INTROSPECTION_TIMEOUT": "500ms",
            ].merging(variables) { _, new in new }
            let outcome: Result<Void, any Error>
            do {
                let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(environment))
                let runtime = try GatewayRuntime(
                    configuration: configuration, logger: logger, onServerRunning: { gatewaySink.yield($0) }, onAdminRunning: { adminSink.yield($0) })
                let gatewayGroup = ServiceGroup(configuration: .init(services: runtime.services, logger: logger))
                group.addTask {
                    defer { gatewaySink.finish() }
                    try await gatewayGroup.run()
                }
                var gatewayIterator = gatewayPorts.makeAsyncIterator()
                var adminIterator = adminPorts.makeAsyncIterator()
                if let gatewayPort = await gatewayIterator.next() {
                    let adminPort = configuration.admin.port == nil ? nil : await adminIterator.next()
                    do {
                        try await body(LiveStack(
                            provider: provider, gatewayPort: gatewayPort, providerPort: providerPort, adminPort: adminPort,
                            client: client, logs: logs))
                        outcome = .success(())
                    } catch {
                        outcome = .failure(error)
                    }
                } else {
                    outcome = .success(())
                }
                await gatewayGroup.triggerGracefulShutdown()
            } catch {
                outcome = .failure(error)
            }
            provider.failureMode = .normal
            await providerGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            try await client.shutdown()
            try outcome.get()
        }
    }

    /// A request to the gateway (or to another of its ports).
    func request(
        _ method: HTTPMethod = .GET, _ path: String = "/auth", headers: [(String, String)] = [], body: String? = nil, port: Int? = nil
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port ?? gatewayPort)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(string: body)) }
        let response = try await client.execute(request, timeout: .seconds(10))
        let body = method == .HEAD ? ByteBuffer() : try await response.body.collect(upTo: 1 << 20)
        return Answer(status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
    }

    func auth(bearer token: String, _ method: HTTPMethod = .GET, path: String = "/auth", headers: [(String, String)] = []) async throws -> Answer {
        try await request(method, path, headers: [("Authorization", "Bearer \(token)")] + headers)
    }

    /// The value of a metric line in `/metrics` (the first line starting with `prefix`), or 0.
    func metric(_ prefix: String) async throws -> Double {
        let text = try await request(.GET, "/metrics").body
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix + " ") }) else { return 0 }
        return Double(line.split(separator: " ").last ?? "") ?? 0
    }

    /// Every log line the gateway wrote, with metadata, as text.
    var logText: String {
        logs.entries.map { "\($0.level) \($0.message) \($0.metadata)" }.joined(separator: "\n")
    }

    /// A loopback port on which nothing listens.
    static func closedPort() throws -> Int {
        let channel = try ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(host: "127.0.0.1", port: 0).wait()
        let port = channel.localAddress!.port!
        try channel.close().wait()
        return port
    }
}
