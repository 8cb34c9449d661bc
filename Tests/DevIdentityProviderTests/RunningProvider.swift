import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// A ``DevIdentityProvider`` served on a real loopback socket for the length of a test,
/// inside a `ServiceGroup` exactly as the gateway runs it.
struct RunningProvider: Sendable {
    let provider: DevIdentityProvider
    let port: Int
    private let group: ServiceGroup

    /// Starts the provider on a free port, runs `body`, then shuts the server down gracefully
    /// and waits for it to finish, so a test fails (by hanging) if shutdown is ever blocked.
    static func run(
        _ provider: DevIdentityProvider,
        _ body: (RunningProvider) async throws -> Void
    ) async throws {
        let logger = Logger(label: "dev-idp-tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let application = provider.makeApplication(port: 0, logger: logger) { port in
            portContinuation.yield(port)
            portContinuation.finish()
        }
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            guard let port = await ports.first(where: { _ in true }) else {
                throw CancellationError()
            }
            let running = RunningProvider(provider: provider, port: port, group: group)
            do {
                try await body(running)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Starts the graceful shutdown now, from inside the test body.
    func shutdown() async {
        await group.triggerGracefulShutdown()
    }

    func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path)"
    }

    // MARK: - Requests

    /// `POST` of a form body, with Basic credentials when given (form-encoded as RFC 6749 §2.3.1 says).
    func postForm(
        _ path: String,
        _ fields: [(String, String)],
        basic: (id: String, secret: String)? = nil,
        extraHeaders: [(String, String)] = [],
        timeout: TimeAmount = .seconds(5)
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url(path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        if let basic {
            request.headers.add(name: "Authorization", value: TestEncoding.basic(id: basic.id, secret: basic.secret))
        }
        for (name, value) in extraHeaders { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(string: TestEncoding.form(fields)))
        return try await send(request, timeout: timeout)
    }

    /// `POST /introspect` for `token` as the demo client.
    func introspect(_ token: String, timeout: TimeAmount = .seconds(5)) async throws -> Reply {
        try await postForm("/introspect", [("token", token)], basic: ("demo-client", "demo-secret"), timeout: timeout)
    }

    func postJSON(_ path: String, _ json: String) async throws -> Reply {
        var request = HTTPClientRequest(url: url(path))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: json))
        return try await send(request, timeout: .seconds(5))
    }

    func get(_ path: String) async throws -> Reply {
        try await send(HTTPClientRequest(url: url(path)), timeout: .seconds(5))
    }

    func send(_ request: HTTPClientRequest, timeout: TimeAmount) async throws -> Reply {
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 1 << 24)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: String(buffer: body))
    }
}
