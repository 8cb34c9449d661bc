import Logging

/// The miss path: fills the cache for a token it had no fresh answer for.
///
/// - Concurrent misses for one token share one validation (single-flight by fingerprint).
/// - While the circuit is open, misses fail at once with `circuitOpen`.
/// - When the provider fails, an active answer within its stale window stands in (counted and
///   logged), never past the token's `exp`.
///
/// It never looks the cache up: `Gatekeeper.prepare` did that once and hands over what it found
/// (the stale entry, if any).
public final class CacheFiller: Sendable {
    private let cache: IntrospectionCache
    private let validator: any TokenValidator
    private let flights: SingleFlight<TokenFingerprint, IntrospectionResult, IntrospectionFailure>
    private let breaker: CircuitBreaker
    private let clock: any WallClock
    private let metrics: GatewayMetrics
    private let logger: Logger

    public init(
        validator: any TokenValidator, cache: IntrospectionCache, breaker: CircuitBreaker,
        maximumWaiters: Int = 10_000, clock: any WallClock, metrics: GatewayMetrics = .disabled, logger: Logger
    ) {
        self.validator = validator
        self.cache = cache
        self.breaker = breaker
        self.flights = SingleFlight(maximumWaiters: maximumWaiters, overloaded: .overloaded)
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// The validator's result when it needs no waiting, stored like any other; nil otherwise.
    func fillWithoutWaiting(_ token: BearerToken, now: Double) -> IntrospectionResult? {
        guard let result = validator.validateWithoutWaiting(token, now: now) else { return nil }
        cache.store(result, for: token.fingerprint, now: now)
        return result
    }

    /// Validates a token that missed the cache (once for all concurrent callers) and stores the
    /// result. `stale` is the entry the lookup found past its freshness, if any.
    public func fill(_ token: BearerToken, stale: CachedIntrospection?) async throws(IntrospectionFailure) -> IntrospectionResult {
        let metrics = metrics
        let outcome = await flights.run(token.fingerprint) { role in
            switch role {
            case .waiter: metrics.recordCoalesced()
            case .rejected: metrics.recordRejectedWaiter()
            case .leader: break
            }
        } operation: { [self] in
            await self.validateAndStore(token)
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

    /// Callers waiting for the validation of this token that another caller started (tests).
    func waitingCallers(for token: BearerToken) -> Int {
        flights.waiters(for: token.fingerprint)
    }

    private func validateAndStore(_ token: BearerToken) async -> Result<IntrospectionResult, IntrospectionFailure> {
        guard breaker.allowsRequest() else {
            metrics.recordIntrospection(IntrospectionFailure.circuitOpen.kind)
            return .failure(.circuitOpen)
        }
        let started = ContinuousClock.now
        do {
            let result = try await validator.validate(token)
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
