import AsyncHTTPClient
import GatewayCore
import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// Everything a running gateway is made of, assembled from a configuration: the identity
/// provider's HTTP client, the introspector behind the cache, the pipeline, the metrics and the
/// HTTP listeners, as services in the order a `ServiceGroup` must start them (it stops them in
/// reverse: listeners first, the HTTP client last).
public struct GatewayRuntime: Sendable {
    public let services: [any Service]
    public let gatekeeper: Gatekeeper
    public let cache: IntrospectionCache
    public let registry: PrometheusCollectorRegistry
    /// Re-reads the policy file and signing keys; SIGHUP calls it (`ReloadSignalService`).
    public let reloader: ConfigurationReloader

    public init(
        configuration: GatewayConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onAdminRunning: @escaping @Sendable (Int) async -> Void = { _ in },
        onProxyRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5),
        ]
        let metrics = GatewayMetrics(factory: factory)
        let client = try HTTPTokenIntrospector.makeHTTPClient(for: configuration.identityProvider)
        let health = ProviderHealth(clock: clock)
        let introspector = HTTPTokenIntrospector(
            configuration: configuration.identityProvider, clockSkew: configuration.clockSkew, client: client,
            clock: clock, health: health)
        cache = IntrospectionCache(settings: configuration.cache, metrics: metrics)
        let breaker = CircuitBreaker(
            failureThreshold: configuration.circuitBreakerFailures, initialBackoff: configuration.circuitBreakerCooldown,
            clock: clock, metrics: metrics)
        let filler = CacheFiller(validator: introspector, cache: cache, breaker: breaker, clock: clock, metrics: metrics, logger: logger)
        gatekeeper = Gatekeeper(configuration: configuration, cache: cache, filler: filler, clock: clock, metrics: metrics, logger: logger)
        reloader = ConfigurationReloader(configuration: configuration, settings: gatekeeper.liveSettings, logger: logger)
        var services: [any Service] = [HTTPClientService(client: client), ReloadSignalService(reloader: reloader)]
        services.append(GatewayServer.makeApplication(
            configuration: configuration, gatekeeper: gatekeeper,
            readiness: ReadinessProbe(health: health, introspector: introspector), registry: registry, cache: cache,
            logger: logger, onServerRunning: onServerRunning))
        if let admin = GatewayServer.makeAdminApplication(configuration: configuration, cache: cache, logger: logger, onServerRunning: onAdminRunning) {
            services.append(admin)
        }
        if let proxy = configuration.proxy {
            // Its own client (pool, TLS roots, timeouts), stopped after the proxy listener drains.
            let destinations = try proxy.makeHTTPClient()
            services.insert(HTTPClientService(client: destinations), at: 1)
            services.append(ProxyServer.makeApplication(
                settings: proxy, configuration: configuration, gatekeeper: gatekeeper, client: destinations, logger: logger,
                onServerRunning: onProxyRunning))
        }
        self.services = services
    }
}
