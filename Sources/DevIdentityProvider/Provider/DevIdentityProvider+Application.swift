import Hummingbird
import Logging
import NIOCore

extension DevIdentityProvider {
    /// A Hummingbird application serving the provider on `host:port`.
    ///
    /// Endpoints: `POST /token`, `POST /introspect`, `POST /revoke`, `GET /healthz`, and the
    /// unauthenticated control endpoints `GET /_dev/stats`, `POST /_dev/reset`,
    /// `POST /_dev/mode`, `POST /_dev/tokens` for scripts.
    ///
    /// - Parameters:
    ///   - host: the address to bind; keep it loopback, the control endpoints are unauthenticated.
    ///   - port: the port to bind; 0 picks any free port.
    ///   - logger: the server's logger; Hummingbird's default when nil.
    ///   - onServerRunning: called with the bound port once the server accepts connections.
    public func makeApplication(
        host: String = "127.0.0.1",
        port: Int = 0,
        logger: Logger? = nil,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        let token = TokenEndpoint(provider: self)
        let introspection = IntrospectionEndpoint(provider: self)
        let revocation = RevocationEndpoint(provider: self)
        let control = DevControlEndpoints(provider: self)

        router.post("token") { request, _ in try await token.respond(to: request) }
        router.post("introspect") { request, _ in try await introspection.respond(to: request) }
        router.post("revoke") { request, _ in try await revocation.respond(to: request) }
        router.get("healthz") { _, _ in control.health() }
        router.get("_dev/stats") { _, _ in control.stats() }
        router.post("_dev/reset") { _, _ in control.reset() }
        router.post("_dev/mode") { request, _ in try await control.setMode(request) }
        router.post("_dev/tokens") { request, _ in try await control.issueToken(request) }

        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname(host, port: port)),
            onServerRunning: { channel in
                // With port 0 the kernel chose; the bound address is the only place to learn which.
                await onServerRunning(channel.localAddress?.port ?? port)
            },
            logger: logger
        )
    }
}
