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
import Testing

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
    /// The Destination proxy's port, when `PROXY_PORT` was set.
    let proxyPort: Int?
    let client: HTTPClient
    let logs: InMemoryLogHandler
    /// What SIGHUP calls: re-reads POLICY_FILE and the key files.
    let reloader: ConfigurationReloader

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
        let (proxyPorts, proxySink) = AsyncStream.makeStream(of: Int.self)
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
                // Generous: CI machines are small and busy; tests of timeouts set their own.
                "INTROSPECTION_TIMEOUT": "10s",
            ].merging(variables) { _, new in new }
            let outcome: Result<Void, any Error>
            do {
                let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(environment))
                let runtime = try GatewayRuntime(
                    configuration: configuration, logger: logger, onServerRunning: { gatewaySink.yield($0) }, onAdminRunning: { adminSink.yield($0) },
                    onProxyRunning: { proxySink.yield($0) })
                let gatewayGroup = ServiceGroup(configuration: .init(services: runtime.services, logger: logger))
                group.addTask {
                    defer { gatewaySink.finish() }
                    try await gatewayGroup.run()
                }
                var gatewayIterator = gatewayPorts.makeAsyncIterator()
                var adminIterator = adminPorts.makeAsyncIterator()
                var proxyIterator = proxyPorts.makeAsyncIterator()
                if let gatewayPort = await gatewayIterator.next() {
                    let adminPort = configuration.admin.port == nil ? nil : await adminIterator.next()
                    let proxyPort = configuration.proxy == nil ? nil : await proxyIterator.next()
                    do {
                        let stack = LiveStack(
                            provider: provider, gatewayPort: gatewayPort, providerPort: providerPort, adminPort: adminPort, proxyPort: proxyPort,
                            client: client, logs: logs, reloader: runtime.reloader)
                        try await body(stack)
                        try await stack.expectNoSecretLeaked(environment)
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

    /// Two valid tokens for the two ways `/auth` answers: one already answered once, so cached
    /// (the event-loop fast path), and one never seen (the async path, with an introspection).
    func cachedAndFreshToken() async throws -> [String] {
        let cached = provider.issueToken(clientID: "app", subject: "cached-user")
        let answer = try await auth(bearer: cached)
        #expect(answer.status == 200)
        return [cached, provider.issueToken(clientID: "app", subject: "fresh-user")]
    }

    /// Every test's traffic ran at `LOG_LEVEL=debug`: no token the provider issued, no client
    /// secret and no JWT secret may appear in any log line or in the metrics.
    func expectNoSecretLeaked(_ environment: [String: String]) async throws {
        let metrics = try await request(.GET, "/metrics").body
        let secrets = provider.knownTokens + ["SSO_CLIENT_SECRET", "JWT_SECRET", "ADMIN_TOKEN"].compactMap { environment[$0] }
        let logs = logText
        for secret in secrets where secret.count >= 8 {
            #expect(!logs.contains(secret), "a token or secret appeared in the gateway's log")
            #expect(!metrics.contains(secret), "a token or secret appeared in the metrics")
        }
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
