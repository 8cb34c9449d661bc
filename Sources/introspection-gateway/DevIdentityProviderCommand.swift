import GatewayCore
import DevIdentityProvider
import Logging
import ServiceLifecycle
import UnixSignals

/// `introspection-gateway dev-idp [--host H] [--port P] [--client ID:SECRET]…`: only the
/// development identity provider, for scripts (deploy tests, benchmarks). Loopback by default.
enum DevIdentityProviderCommand {
    static func run(_ arguments: [String]) async -> Int32 {
        var host = "127.0.0.1"
        var port = 9000
        var clients: [String: String] = [:]
        var remaining = arguments[...]
        while let flag = remaining.popFirst() {
            guard let value = remaining.popFirst() else {
                Console.error("dev-idp: \(flag) needs a value")
                return 2
            }
            switch flag {
            case "--host": host = value
            case "--port":
                guard let parsed = Int(value), (0...65535).contains(parsed) else {
                    Console.error("dev-idp: --port '\(value)' is not a port number")
                    return 2
                }
                port = parsed
            case "--client":
                let parts = value.split(separator: ":", maxSplits: 1)
                guard parts.count == 2 else {
                    Console.error("dev-idp: --client takes ID:SECRET")
                    return 2
                }
                clients[String(parts[0])] = String(parts[1])
            default:
                Console.error("dev-idp: unknown option '\(flag)'")
                return 2
            }
        }
        let logger = GatewayLogging.bootstrap(level: .notice, format: .text)
        let provider = DevIdentityProvider(clients: clients.isEmpty ? ["demo-client": "demo-secret"] : clients)
        let boundHost = host
        let application = provider.makeApplication(host: host, port: port, logger: logger) { boundPort in
            Console.out("dev-idp listening on http://\(boundHost):\(boundPort) (introspection: /introspect, tokens: /token, control: /_dev/*)")
        }
        do {
            try await ServiceGroup(configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)).run()
            return 0
        } catch {
            Console.error("dev-idp failed: \(error)")
            return 1
        }
    }
}
