import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Runs a Hummingbird application of a test (an upstream, a provider) on a free loopback port:
/// starts it, waits for its port, runs `body` with the port, then shuts it down and waits, and
/// rethrows what `body` threw.
enum LoopbackApplication {
    /// - Parameter makeApplication: builds the application from the `onServerRunning` it must pass on.
    static func run<App: ApplicationProtocol>(
        label: String, _ makeApplication: (_ onServerRunning: @escaping @Sendable (any Channel) async -> Void) throws -> App,
        _ body: (Int) async throws -> Void
    ) async throws {
        let (ports, sink) = AsyncStream.makeStream(of: Int.self)
        let application = try makeApplication { channel in sink.yield(channel.localAddress?.port ?? 0) }
        let group = ServiceGroup(configuration: .init(services: [application], logger: quietLogger(label)))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { sink.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            let outcome: Result<Void, any Error>
            if let port = await iterator.next() {
                do {
                    try await body(port)
                    outcome = .success(())
                } catch {
                    outcome = .failure(error)
                }
            } else {
                outcome = .success(())
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try outcome.get()
        }
    }

    /// A logger that drops everything (the application under test logs elsewhere).
    static func quietLogger(_ label: String) -> Logger {
        Logger(label: label) { _ in SwiftLogNoOpLogHandler() }
    }
}
