/// What `Gatekeeper.prepare` found out about a request, synchronously.
public enum Preparation: Sendable {
    /// Decided without waiting: no token, a malformed one, a route that refuses, a verified
    /// passthrough JWT, a fresh cache hit, or a token the validator checked on the spot.
    case decided(Decision)
    /// The token must be validated by someone who has to be waited for (the identity provider,
    /// or an issuer's key endpoint): hand this to `Gatekeeper.finish`.
    case pending(PendingDecision)
}

/// A request whose token missed the cache, with everything `prepare` learnt about it, so that
/// `finish` parses, hashes, matches and looks up nothing again.
public struct PendingDecision: Sendable {
    public let request: AuthRequest
    let token: BearerToken
    let route: RouteRequirement
    /// The settings the decision started with: a reload while the provider is asked does not mix
    /// old and new rules within one decision.
    let settings: LiveSettings.Snapshot
    /// The cache's entry past its freshness, still usable if the provider fails (stale-if-error).
    let stale: CachedIntrospection?
}
