import DevIdentityProvider
import GatewayCore
import GatewayHTTP
import Logging
import ServiceLifecycle
import UnixSignals

/// `introspection-gateway demo`: the gateway on a built-in identity provider, no configuration
/// needed. Prints a ready `curl` with a freshly issued token, and one that shows a 401.
enum DemoCommand {
    static func run() async -> Int32 {
        let environment = ConfigurationEnvironment.load()
        let port = environment.value("PORT").flatMap(ConfigurationValue.port) ?? 8080
        let logger = GatewayLogging.bootstrap(level: .notice, format: .text)
        let clientSecret = randomHex(bytes: 24)
        let provider = DevIdentityProvider(clients: ["demo-client": clientSecret])
        let (providerPorts, providerPortSink) = AsyncStream.makeStream(of: Int.self)
        let providerGroup = ServiceGroup(configuration: .init(
            services: [provider.makeApplication(host: "127.0.0.1", port: 0, logger: logger) { providerPortSink.yield($0) }],
            logger: logger))
        do {
            return try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    defer { providerPortSink.finish() }
                    try await providerGroup.run()
                }
                var ports = providerPorts.makeAsyncIterator()
                guard let providerPort = await ports.next() else {
                    try await group.waitForAll()  // rethrows why the provider could not start
                    return 1
                }
                // Whatever happens to the gateway, the provider is stopped, or the group never ends.
                let outcome: Result<Void, any Error>
                do {
                    try await runGateway(provider: provider, providerPort: providerPort, clientSecret: clientSecret, port: port, logger: logger)
                    outcome = .success(())
                } catch {
                    outcome = .failure(error)
                }
                await providerGroup.triggerGracefulShutdown()
                try await group.waitForAll()
                try outcome.get()
                return 0
            }
        } catch {
            Console.error("demo failed: \(error)\(port == 8080 ? " (is port 8080 in use? set PORT=…)" : "")")
            return 1
        }
    }

    private static func runGateway(provider: DevIdentityProvider, providerPort: Int, clientSecret: String, port: Int, logger: Logger) async throws {
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment([
            "SSO_INTROSPECTION": "http://127.0.0.1:\(providerPort)/introspect",
            "SSO_CLIENT_ID": "demo-client",
            "SSO_CLIENT_SECRET": clientSecret,
            "HOST": "127.0.0.1",
            "PORT": String(port),
            "JWT_HEADER_NAME": "X-JWT",
            "JWT_SECRET": randomHex(bytes: 32),
            "JWT_ISSUER": "introspection-gateway-demo",
        ]))
        let token = provider.issueToken(clientID: "demo-client", scope: "read write", subject: "demo-user")
        let runtime = try GatewayRuntime(configuration: configuration, logger: logger) { boundPort in
            printInstructions(port: boundPort, providerPort: providerPort, token: token)
        }
        try await ServiceGroup(configuration: .init(
            services: runtime.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
    }

    private static func printInstructions(port: Int, providerPort: Int, token: String) {
        Console.out("""

        introspection-gateway demo: the gateway listens on http://127.0.0.1:\(port), checking tokens
        against a built-in RFC 7662 identity provider on http://127.0.0.1:\(providerPort).

        A valid token (scope "read write", subject demo-user, valid 1 hour) gets 200 and an X-JWT header:

          curl -i -H 'Authorization: Bearer \(token)' http://127.0.0.1:\(port)/auth

        A made-up token gets 401 with WWW-Authenticate:

          curl -i -H 'Authorization: Bearer made-up-token' http://127.0.0.1:\(port)/auth

        The JWT is HS256, signed with a random key made for this run. Ctrl-C stops the demo.

        """)
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }
}
