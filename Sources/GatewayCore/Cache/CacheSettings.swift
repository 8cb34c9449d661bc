/// How introspection answers are cached (`CACHE_*`, `NEGATIVE_CACHE_*`, `STALE_IF_ERROR`).
public struct CacheSettings: Sendable, Equatable {
    /// Longest an active answer is used; zero turns caching off. Never past the token's `exp`.
    public var ttl: Duration
    /// Bound of active entries.
    public var maximumEntries: Int
    /// Longest an inactive answer is used; zero: inactive answers are not cached.
    public var negativeTTL: Duration
    /// Bound of inactive entries, kept apart so made-up tokens cannot push out good ones.
    public var maximumNegativeEntries: Int
    /// How long after its freshness an active answer may stand in while the provider fails.
    public var staleIfError: Duration

    public init(ttl: Duration = .seconds(60), maximumEntries: Int = 100_000, negativeTTL: Duration = .seconds(5),
                maximumNegativeEntries: Int = 10_000, staleIfError: Duration = .zero) {
        self.ttl = ttl
        self.maximumEntries = maximumEntries
        self.negativeTTL = negativeTTL
        self.maximumNegativeEntries = maximumNegativeEntries
        self.staleIfError = staleIfError
    }

    public var isEnabled: Bool { ttl > .zero || negativeTTL > .zero }
}
