import CoreMetrics

/// Every metric the gateway records, made once from a `MetricsFactory` (Prometheus in the
/// server, no-op in tests that do not look). Labels are fixed words: never a token or a subject.
public final class GatewayMetrics: Sendable {
    private let allowed: Counter
    private let denied: Counter
    private let unavailable: Counter
    private let cacheHits: Counter
    private let cacheMisses: Counter
    private let cacheStaleHits: Counter
    private let cacheEvictions: Counter
    private let cacheEntries: Meter
    private let coalescedRequests: Counter
    private let introspectionDuration: Timer
    /// 0 closed, 1 open, 0.5 half-open (one trial request allowed).
    private let circuitState: Meter
    private let introspectionOutcomes: [String: Counter]
    private let rejectedWaiters: Counter

    /// Outcomes an introspection can have, as label values.
    public static let introspectionOutcomeNames = [
        "active", "inactive", "timeout", "connection_failed", "tls", "credentials_rejected", "rate_limited",
        "server_error", "unexpected_status", "malformed_answer", "answer_too_large", "circuit_open", "overloaded",
    ]

    public init(factory: any MetricsFactory) {
        func decisions(_ result: String) -> Counter {
            Counter(label: "gateway_decisions_total", dimensions: [("result", result)], factory: factory)
        }
        allowed = decisions("allow")
        denied = decisions("deny")
        unavailable = decisions("unavailable")
        cacheHits = Counter(label: "gateway_cache_hits_total", factory: factory)
        cacheMisses = Counter(label: "gateway_cache_misses_total", factory: factory)
        cacheStaleHits = Counter(label: "gateway_cache_stale_hits_total", factory: factory)
        cacheEvictions = Counter(label: "gateway_cache_evictions_total", factory: factory)
        cacheEntries = Meter(label: "gateway_cache_entries", factory: factory)
        coalescedRequests = Counter(label: "gateway_coalesced_requests_total", factory: factory)
        introspectionDuration = Timer(label: "gateway_introspection_duration_seconds", factory: factory)
        circuitState = Meter(label: "gateway_circuit_breaker_state", factory: factory)
        rejectedWaiters = Counter(label: "gateway_single_flight_rejected_total", factory: factory)
        var outcomes: [String: Counter] = [:]
        for outcome in Self.introspectionOutcomeNames {
            outcomes[outcome] = Counter(label: "gateway_introspection_requests_total", dimensions: [("outcome", outcome)], factory: factory)
        }
        introspectionOutcomes = outcomes
        circuitState.set(0)
    }

    /// Metrics that go nowhere.
    public static let disabled = GatewayMetrics(factory: NOOPMetricsHandler.instance)

    /// Counts one introspection request by outcome, with its duration when it was sent.
    public func recordIntrospection(_ outcome: String, since start: ContinuousClock.Instant? = nil) {
        introspectionOutcomes[outcome]?.increment()
        if let start {
            introspectionDuration.recordNanoseconds(Int64((ContinuousClock.now - start).seconds * 1e9))
        }
    }

    public func recordCacheHit() { cacheHits.increment() }
    public func recordCacheMiss() { cacheMisses.increment() }
    public func recordStaleHit() { cacheStaleHits.increment() }
    public func recordCoalesced() { coalescedRequests.increment() }
    public func recordEvictions(_ count: Int) { cacheEvictions.increment(by: count) }
    public func adjustCacheEntries(by change: Int) {
        if change > 0 { cacheEntries.increment(by: Double(change)) } else if change < 0 { cacheEntries.decrement(by: Double(-change)) }
    }

    public func recordCircuit(_ state: CircuitBreaker.State) {
        switch state {
        case .closed: circuitState.set(0)
        case .open: circuitState.set(1)
        case .halfOpen: circuitState.set(0.5)
        }
    }

    public func recordDecision(_ decision: Decision) {
        switch decision {
        case .allow: allowed.increment()
        case .deny: denied.increment()
        case .unavailable: unavailable.increment()
        }
    }

    public func recordRejectedWaiter() {
        rejectedWaiters.increment()
    }
}
