import GatewayCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOPosix
import Prometheus

/// Builds the gateway's HTTP listeners: the main one (`/auth`, `/healthz`, `/readyz`, `/metrics`,
/// and the admin API when it is token-protected) and the optional loopback admin listener.
public enum GatewayServer {
    public static func makeApplication(
        configuration: GatewayConfiguration,
        gatekeeper: Gatekeeper,
        readiness: ReadinessProbe,
        registry: PrometheusCollectorRegistry,
        cache: IntrospectionCache,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = Router()
        HealthController(readiness: readiness).addRoutes(to: router)
        MetricsController(registry: registry).addRoutes(to: router)
        JWKSController(settings: gatekeeper.liveSettings).addRoutes(to: router)
        if configuration.admin.port == nil, let token = configuration.admin.token {
            AdminController(cache: cache, token: token).addRoutes(to: router)
        }
        let auth = AuthController(
            gatekeeper: gatekeeper,
            responses: DecisionResponses(configuration: configuration),
            passthroughHeaderName: configuration.allowsJWTPassthrough ? configuration.signing.headerName : nil)
        let fastPath = configuration.usesFastPath ? auth : nil
        return Application(
            responder: GatewayResponder(auth: auth, fallback: router.buildResponder()),
            server: HTTPServerBuilder { responder in
                AuthHTTP1Channel(
                    responder: responder, auth: fastPath, idleTimeout: configuration.idleTimeout,
                    requestHeaderTimeout: configuration.requestHeaderTimeout)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections, logger: logger)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
            eventLoopGroupProvider: eventLoopGroup(configuration),
            logger: logger)
    }

    /// `EVENT_LOOP_THREADS`, or NIO's shared group (one thread per core).
    static func eventLoopGroup(_ configuration: GatewayConfiguration) -> EventLoopGroupProvider {
        guard let threads = configuration.eventLoopThreads else { return .singleton }
        return .shared(MultiThreadedEventLoopGroup(numberOfThreads: threads))
    }

    /// The admin listener on `ADMIN_HOST:ADMIN_PORT`, when configured.
    public static func makeAdminApplication(
        configuration: GatewayConfiguration, cache: IntrospectionCache, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> (any ApplicationProtocol)? {
        guard let port = configuration.admin.port else { return nil }
        let router = Router()
        AdminController(cache: cache, token: configuration.admin.token).addRoutes(to: router)
        return Application(
            router: router,
            configuration: .init(address: .hostname(configuration.admin.host, port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}

/// Sends `/auth` and `/auth/…` (any method) to the `AuthController` and everything else to the router.
///
/// `/auth` bypasses the router because it must accept every method, HEAD and unknown ones
/// included, and because it is the hot path.
struct GatewayResponder<Fallback: HTTPResponder>: HTTPResponder where Fallback.Context == BasicRequestContext {
    typealias Context = BasicRequestContext
    let auth: AuthController
    let fallback: Fallback

    func respond(to request: Request, context: Context) async throws -> Response {
        if AuthController.handles(path: request.uri.path) {
            return await auth.respond(to: request)
        }
        return try await fallback.respond(to: request, context: context)
    }
}
