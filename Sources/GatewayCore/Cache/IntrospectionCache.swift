import Synchronization

/// Introspection answers by token fingerprint (SHA-256; never the token), behind one `Mutex`
/// so a lookup is synchronous and can be made on an event loop.
///
/// Active answers live at most `CACHE_TTL` and never past the token's `exp`; inactive ones
/// `NEGATIVE_CACHE_TTL`, in their own smaller store. Failures are never stored. Only the
/// introspection is cached: callers re-check expiry and policy on every hit.
public final class IntrospectionCache: Sendable {
    private struct Stores {
        var active: LRUStore<TokenFingerprint, CachedIntrospection>
        var inactive: LRUStore<TokenFingerprint, CachedIntrospection>
    }

    private let stores: Mutex<Stores>
    private let ttl: Double
    private let negativeTTL: Double
    private let staleIfError: Double
    private let metrics: GatewayMetrics

    public init(settings: CacheSettings, metrics: GatewayMetrics = .disabled) {
        stores = Mutex(Stores(
            active: LRUStore(capacity: max(1, settings.maximumEntries)),
            inactive: LRUStore(capacity: max(1, settings.maximumNegativeEntries))))
        ttl = settings.ttl.seconds
        negativeTTL = settings.negativeTTL.seconds
        staleIfError = settings.staleIfError.seconds
        self.metrics = metrics
    }

    public func lookup(_ fingerprint: TokenFingerprint, now: Double) -> CacheLookup {
        let (lookup, expired) = stores.withLock { stores -> (CacheLookup, Int) in
            if let entry = stores.active.value(for: fingerprint) {
                if now < entry.freshUntil { return (.fresh(entry), 0) }
                if now < entry.staleUntil { return (.stale(entry), 0) }
                stores.active.removeValue(for: fingerprint)
                return (.miss, 1)
            }
            if let entry = stores.inactive.peek(fingerprint) {
                if now < entry.freshUntil { return (.fresh(entry), 0) }
                stores.inactive.removeValue(for: fingerprint)
                return (.miss, 1)
            }
            return (.miss, 0)
        }
        metrics.adjustCacheEntries(by: -expired)
        return lookup
    }

    /// Stores an answer received at `now`. Answers that may not be cached are ignored.
    public func store(_ result: IntrospectionResult, for fingerprint: TokenFingerprint, now: Double) {
        switch result {
        case .active(let claims):
            let expiresAt = claims.expiresAt ?? .infinity
            let freshUntil = min(now + ttl, expiresAt)
            guard freshUntil > now else { return }
            let entry = CachedIntrospection(
                result: result, freshUntil: freshUntil, staleUntil: min(freshUntil + staleIfError, expiresAt), jwt: nil)
            insert(entry, fingerprint, negative: false)
        case .inactive:
            guard negativeTTL > 0 else { return }
            insert(CachedIntrospection(result: result, freshUntil: now + negativeTTL, staleUntil: now + negativeTTL, jwt: nil), fingerprint, negative: true)
        }
    }

    /// Keeps a JWT signed for a cached active answer, so the next hit reuses it.
    public func attach(_ jwt: SignedJWT, to fingerprint: TokenFingerprint) {
        _ = stores.withLock { $0.active.update(fingerprint) { $0.jwt = jwt } }
    }

    /// Forgets one token (revocation); true when it was cached.
    @discardableResult
    public func evict(_ fingerprint: TokenFingerprint) -> Bool {
        let removed = stores.withLock { stores in
            (stores.active.removeValue(for: fingerprint) != nil ? 1 : 0) + (stores.inactive.removeValue(for: fingerprint) != nil ? 1 : 0)
        }
        metrics.adjustCacheEntries(by: -removed)
        return removed > 0
    }

    /// Forgets everything; returns how many entries there were.
    @discardableResult
    public func flush() -> Int {
        let removed = stores.withLock { stores in
            let count = stores.active.count + stores.inactive.count
            stores.active.removeAll()
            stores.inactive.removeAll()
            return count
        }
        metrics.adjustCacheEntries(by: -removed)
        return removed
    }

    /// Number of active and inactive entries.
    public var count: (active: Int, inactive: Int) {
        stores.withLock { ($0.active.count, $0.inactive.count) }
    }

    /// Active entries from least to most recently used (tests).
    func activeFingerprintsOldestFirst() -> [TokenFingerprint] {
        stores.withLock { $0.active.keysOldestFirst }
    }

    private func insert(_ entry: CachedIntrospection, _ fingerprint: TokenFingerprint, negative: Bool) {
        let (added, evicted) = stores.withLock { stores -> (Int, Int) in
            let before = stores.active.count + stores.inactive.count
            var evicted = 0
            if negative {
                if stores.inactive.set(entry, for: fingerprint) != nil { evicted += 1 }
            } else {
                if stores.active.set(entry, for: fingerprint) != nil { evicted += 1 }
                // A token that became active is no longer inactive.
                stores.inactive.removeValue(for: fingerprint)
            }
            return (stores.active.count + stores.inactive.count - before, evicted)
        }
        metrics.adjustCacheEntries(by: added)
        if evicted > 0 { metrics.recordEvictions(evicted) }
    }
}
