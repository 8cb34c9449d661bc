import Logging

/// Wraps any introspector with the cache, single-flight, a circuit breaker and stale-if-error.
///
/// - A fresh cached answer is returned at once (and `freshEntry` gives it synchronously, for an
///   event-loop fast path).
/// - On a miss, concurrent callers for one token share one introspection.
/// - While the circuit is open, misses fail at once with `circuitOpen`.
/// - When the provider fails, an active answer within its stale window stands in (counted and
///   logged), never past the token's `exp`.
public final class CachingIntrospector: TokenIntrospector {
    public let cache: IntrospectionCache
    private let inner: any TokenIntrospector
    private let flights: SingleFlight<TokenFingerprint, IntrospectionResult>
    private let breaker: CircuitBreaker
    private let clock: any WallClock
    private let metrics: GatewayMetrics
    private let logger: Logger

    public init(
        wrapping inner: any TokenIntrospector, cache: IntrospectionCache, breaker: CircuitBreaker,
        maximumWaiters: Int = 10_000, clock: any WallClock, metrics: GatewayMetrics = .disabled, logger: Logger
    ) {
        self.inner = inner
        self.cache = cache
        self.breaker = breaker
        self.flights = SingleFlight(maximumWaiters: maximumWaiters)
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// The fresh cached answer for a token, without waiting; nil when it must be introspected.
    public func freshEntry(for token: BearerToken, now: Double) -> CachedIntrospection? {
        guard case .fresh(let entry) = cache.lookup(token.fingerprint, now: now) else { return nil }
        metrics.recordCacheHit()
        return entry
    }

    public func introspect(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        var stale: CachedIntrospection?
        switch cache.lookup(token.fingerprint, now: clock.now()) {
        case .fresh(let entry):
            metrics.recordCacheHit()
            return entry.result
        case .stale(let entry):
            stale = entry
        case .miss:
            break
        }
        metrics.recordCacheMiss()
        let metrics = metrics
        let outcome = await flights.run(token.fingerprint) { role in
            switch role {
            case .waiter: metrics.recordCoalesced()
            case .rejected: metrics.recordRejectedWaiter()
            case .leader: break
            }
        } operation: { [self] in
            await self.introspectAndStore(token)
        }
        switch outcome {
        case .success(let result):
            return result
        case .failure(let failure):
            if failure.countsAgainstProvider, let stale, clock.now() < stale.staleUntil {
                metrics.recordStaleHit()
                logger.warning("identity provider failing (\(failure.kind)); using a stale cached answer", metadata: ["token": "\(token.logID)"])
                return stale.result
            }
            throw failure
        }
    }

    /// Callers waiting for the introspection of this token that another caller started (tests).
    func waitingCallers(for token: BearerToken) -> Int {
        flights.waiters(for: token.fingerprint)
    }

    private func introspectAndStore(_ token: BearerToken) async -> Result<IntrospectionResult, IntrospectionFailure> {
        guard breaker.allowsRequest() else {
            metrics.recordIntrospection(IntrospectionFailure.circuitOpen.kind)
            return .failure(.circuitOpen)
        }
        let started = ContinuousClock.now
        do {
            let result = try await inner.introspect(token)
            breaker.recordSuccess()
            cache.store(result, for: token.fingerprint, now: clock.now())
            if case .active = result { metrics.recordIntrospection("active", since: started) } else { metrics.recordIntrospection("inactive", since: started) }
            return .success(result)
        } catch {
            metrics.recordIntrospection(error.kind, since: started)
            if error.countsAgainstProvider { breaker.recordFailure() } else { breaker.recordSuccess() }
            return .failure(error)
        }
    }
}
