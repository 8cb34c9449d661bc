import Logging

@testable import GatewayCore

/// The cache, its miss path and the gatekeeper over a test validator, assembled as
/// `GatewayRuntime` assembles them.
struct TestPipeline {
    let cache: IntrospectionCache
    let filler: CacheFiller
    let gatekeeper: Gatekeeper
    let clock: ManualWallClock

    /// - Parameter settings: the cache's settings; `nil` takes the configuration's.
    init(
        configuration: GatewayConfiguration, validator: any TokenValidator, clock: ManualWallClock, settings: CacheSettings? = nil,
        failures: Int = 5
    ) {
        cache = IntrospectionCache(settings: settings ?? configuration.cache)
        filler = CacheFiller(
            validator: validator, cache: cache, breaker: CircuitBreaker(failureThreshold: failures, initialBackoff: .seconds(1), clock: clock),
            clock: clock, logger: Logger(label: "test"))
        gatekeeper = Gatekeeper(configuration: configuration, cache: cache, filler: filler, clock: clock, logger: Logger(label: "test"))
        self.clock = clock
    }

    /// A pipeline that caches nothing, so every decision asks the validator.
    static func uncached(configuration: GatewayConfiguration, validator: any TokenValidator, clock: ManualWallClock) -> TestPipeline {
        TestPipeline(configuration: configuration, validator: validator, clock: clock, settings: CacheSettings(ttl: .zero, negativeTTL: .zero))
    }

    /// The token's result the way `Gatekeeper.prepare` and `finish` get it: the fresh cached
    /// answer, else the miss path (with the stale entry, if any).
    func result(for token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        switch cache.lookup(token.fingerprint, now: clock.now()) {
        case .fresh(let entry): return entry.result
        case .stale(let entry): return try await filler.fill(token, stale: entry)
        case .miss: return try await filler.fill(token, stale: nil)
        }
    }
}
