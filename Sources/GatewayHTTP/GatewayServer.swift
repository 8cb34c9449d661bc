import GatewayCore
import Hummingbird
import Logging
import NIOCore

/// Builds the gateway's HTTP server: `/auth`, `/healthz`, `/readyz`.
public enum GatewayServer {
    public static func makeApplication(
        configuration: GatewayConfiguration,
        gatekeeper: Gatekeeper,
        readiness: ReadinessProbe,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        HealthController(readiness: readiness).addRoutes(to: router)
        let auth = AuthController(
            gatekeeper: gatekeeper,
            responses: DecisionResponses(jwtHeaderName: configuration.signing.headerName, realm: configuration.realm),
            passthroughHeaderName: configuration.allowsJWTPassthrough ? configuration.signing.headerName : nil)
        return Application(
            responder: GatewayResponder(auth: auth, fallback: router.buildResponder()),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            logger: logger)
    }
}
