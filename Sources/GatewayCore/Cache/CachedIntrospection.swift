/// A cached introspection answer and how long it may be used.
public struct CachedIntrospection: Sendable {
    public let result: IntrospectionResult
    /// Until then the answer is used without asking the provider.
    public let freshUntil: Double
    /// Until then the answer may stand in when the provider fails (`STALE_IF_ERROR`); never past `exp`.
    public let staleUntil: Double
    /// The JWT signed for this answer, reused while it has time left; it goes with the entry.
    public var jwt: SignedJWT?
}

/// What the cache knows about a token at a moment.
public enum CacheLookup: Sendable {
    case fresh(CachedIntrospection)
    /// Past its freshness, still within the stale-if-error window: ask the provider, fall back to it.
    case stale(CachedIntrospection)
    case miss
}
