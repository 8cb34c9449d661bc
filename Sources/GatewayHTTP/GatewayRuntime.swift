import AsyncHTTPClient
import GatewayCore
import Hummingbird
import Logging
import ServiceLifecycle

/// Everything a running gateway is made of, assembled from a configuration: the identity
/// provider's HTTP client, the introspector, the pipeline and the HTTP server, as services in
/// the order a `ServiceGroup` must start them (it stops them in reverse: server first, client last).
public struct GatewayRuntime: Sendable {
    public let services: [any Service]
    public let gatekeeper: Gatekeeper

    public init(
        configuration: GatewayConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws {
        let client = try HTTPTokenIntrospector.makeHTTPClient(for: configuration.identityProvider)
        let health = ProviderHealth(clock: clock)
        let introspector = HTTPTokenIntrospector(
            configuration: configuration.identityProvider, clockSkew: configuration.clockSkew, client: client,
            clock: clock, health: health)
        gatekeeper = Gatekeeper(configuration: configuration, introspector: introspector, clock: clock, logger: logger)
        let application = GatewayServer.makeApplication(
            configuration: configuration, gatekeeper: gatekeeper,
            readiness: ReadinessProbe(health: health, introspector: introspector), logger: logger,
            onServerRunning: onServerRunning)
        services = [HTTPClientService(client: client), application]
    }
}
