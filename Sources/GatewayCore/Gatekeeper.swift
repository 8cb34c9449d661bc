import Logging

/// The one decision pipeline: request facts in, `Decision` out.
///
/// Every edge (`/auth` and its event-loop fast path, the Destination proxy) calls this, so no
/// path can skip a step: route → passthrough check → token → validation (through the cache) →
/// expiry check → access policy → signing. A cache hit runs the same checks as a miss; only the
/// provider's answer (and the JWT signed for it) is reused, never a decision.
///
/// Two phases: `prepare` does everything that needs no waiting, synchronously (an event loop
/// answers cache hits with it); `finish` validates a token that missed the cache, reusing the
/// token, fingerprint, route and lookup that `prepare` found. `decide` is both in one call.
///
/// The route policy and signing keys come from `liveSettings`, which a reload (SIGHUP) may
/// replace: each request takes one snapshot of them and decides with it from start to end.
public final class Gatekeeper: Sendable {
    /// A cached JWT is reused only while it has at least this long to live.
    public static let jwtReuseMargin = 10.0

    private let cache: IntrospectionCache
    private let filler: CacheFiller
    /// The route policy and signing state in force (replaced by a reload).
    public let liveSettings: LiveSettings
    private let policy: AccessPolicy
    private let allowsMissingAuthorization: Bool
    private let clockSkew: Double
    private let clock: any WallClock
    private let metrics: GatewayMetrics
    private let logger: Logger
    /// Each decision is logged at debug level; read once, not per request.
    private let logsDecisions: Bool

    /// - Parameters:
    ///   - cache: where `prepare` looks a token up; `filler` stores into the same cache.
    ///   - filler: validates the tokens that missed the cache.
    public init(
        configuration: GatewayConfiguration, cache: IntrospectionCache, filler: CacheFiller, clock: any WallClock = SystemWallClock(),
        metrics: GatewayMetrics = .disabled, logger: Logger
    ) {
        self.cache = cache
        self.filler = filler
        liveSettings = LiveSettings(configuration: configuration)
        policy = configuration.policy
        allowsMissingAuthorization = configuration.allowsMissingAuthorization
        clockSkew = configuration.clockSkew.seconds
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
        logsDecisions = logger.logLevel <= .debug
    }

    /// The decision for a request: `prepare`, then `finish` when it is pending.
    public func decide(_ request: AuthRequest) async -> Decision {
        switch prepare(request) {
        case .decided(let decision): decision
        case .pending(let pending): await finish(pending)
        }
    }

    /// Everything that needs no waiting, synchronously, so an event loop can answer by itself:
    /// the route (a path the policy refuses, or a deny rule, needs no token), a passthrough JWT,
    /// the token's parse and fingerprint, and one cache lookup.
    public func prepare(_ request: AuthRequest) -> Preparation {
        let settings = liveSettings.current
        let requirement: RouteRequirement
        switch settings.routes.match(request) {
        case .refused(let reason): return .decided(record(.deny(.forbidden(reason)), request))
        case .matched(let matched): requirement = matched
        }
        if requirement.access == .deny { return .decided(record(.deny(.forbidden("denied by \(requirement.label)")), request)) }
        let now = clock.now()
        let signing = settings.signing
        if let passthrough = signing.passthrough, let presented = request.presentedJWT, let claims = passthrough.verify(presented, now: now) {
            // Our signature vouches for the global issuer and audience; scopes and the route are checked here.
            if let denial = policy.denial(for: claims, route: requirement, bindingVerified: true) { return .decided(record(.deny(denial), request)) }
            let jwt = SignedJWT(compact: presented, expiresAt: claims.expiresAt ?? now)
            return .decided(record(.allow(Grant(claims: claims, jwt: jwt, source: .passthrough)), request))
        }
        let token: BearerToken
        switch request.authorization {
        case .missing where allowsMissingAuthorization || requirement.access == .anonymous, .otherScheme where requirement.access == .anonymous:
            return .decided(record(.allow(.anonymous), request))
        case .missing, .otherScheme:
            return .decided(record(.deny(.missingToken), request))
        case .malformed:
            return .decided(record(.deny(.invalidToken("malformed")), request))
        case .bearer(let bearer):
            token = bearer
        }
        let stale: CachedIntrospection?
        switch cache.lookup(token.fingerprint, now: now) {
        case .fresh(let entry):
            metrics.recordCacheHit()
            let decision = decide(entry.result, token: token, cachedJWT: entry.jwt, now: now, source: .cache, route: requirement, signing: signing)
            return .decided(record(decision, request, token: token))
        case .stale(let entry):
            stale = entry
        case .miss:
            stale = nil
        }
        if let result = filler.fillWithoutWaiting(token, now: now) {
            metrics.recordCacheMiss()
            let decision = decide(result, token: token, cachedJWT: nil, now: now, source: .introspection, route: requirement, signing: signing)
            return .decided(record(decision, request, token: token))
        }
        return .pending(PendingDecision(request: request, token: token, route: requirement, settings: settings, stale: stale))
    }

    /// The decision for a token that missed the cache: validated (once for all concurrent
    /// requests for it), stored, then judged exactly as a hit would be.
    public func finish(_ pending: PendingDecision) async -> Decision {
        // Counted here rather than in `prepare`: an edge may prepare a request twice (once on the
        // event loop, once more after handing it on), and a miss must count once.
        metrics.recordCacheMiss()
        let token = pending.token
        let decision: Decision
        do {
            let result = try await filler.fill(token, stale: pending.stale)
            decision = decide(
                result, token: token, cachedJWT: nil, now: clock.now(), source: .introspection, route: pending.route,
                signing: pending.settings.signing)
        } catch {
            var logger = logger
            logger[metadataKey: "token"] = "\(token.logID)"
            logger.log(level: error.kind == "credentials_rejected" ? .error : .warning, "introspection failed: \(error)")
            decision = .unavailable(error)
        }
        return record(decision, pending.request, token: token)
    }

    /// Expiry is checked again here, not only when the answer arrived: a cached answer ages.
    private func decide(
        _ result: IntrospectionResult, token: BearerToken, cachedJWT: SignedJWT?, now: Double, source: Grant.Source,
        route: RouteRequirement, signing: SigningState
    ) -> Decision {
        switch result {
        case .active(let claims):
            switch IntrospectionAnswer.check(claims, now: now, clockSkew: clockSkew) {
            case .active:
                if let denial = policy.denial(for: claims, route: route) { return .deny(denial) }
                do throws(SigningFailure) {
                    let jwt = try jwt(for: claims, token: token, cached: cachedJWT, now: now, issuer: signing.issuer)
                    return .allow(Grant(claims: claims, jwt: jwt, source: source))
                } catch {
                    logger.error("cannot sign the JWT: \(error)")
                    return .unavailable(.signingFailed)
                }
            case .inactive(let reason):
                return .deny(.invalidToken(reason.rawValue))
            }
        case .inactive(let reason):
            return .deny(.invalidToken(reason.rawValue))
        }
    }

    private func jwt(for claims: TokenClaims, token: BearerToken, cached: SignedJWT?, now: Double, issuer: JWTIssuer?) throws(SigningFailure) -> SignedJWT? {
        guard let issuer else { return nil }
        // After a key rotation, a JWT of the replaced key is signed anew rather than reused.
        if let cached, cached.expiresAt - now >= Self.jwtReuseMargin, cached.keyID == issuer.keyID { return cached }
        let fresh = try issuer.issue(for: claims, now: now)
        cache.attach(fresh, to: token.fingerprint)
        return fresh
    }

    private func record(_ decision: Decision, _ request: AuthRequest, token: BearerToken? = nil) -> Decision {
        metrics.recordDecision(decision)
        guard logsDecisions else { return decision }
        var metadata: Logger.Metadata = [:]
        switch decision {
        case .allow(let grant):
            metadata["decision"] = "allow"
            metadata["source"] = "\(grant.source.rawValue)"
        case .deny(let denial):
            metadata["decision"] = "deny"
            switch denial {
            case .missingToken: metadata["reason"] = "no bearer token"
            case .invalidToken(let reason): metadata["reason"] = "\(reason)"
            case .insufficientScope(let scope): metadata["reason"] = "insufficient scope, needs \(scope.isEmpty ? "another audience" : scope)"
            case .forbidden(let reason): metadata["reason"] = "forbidden: \(reason)"
            }
        case .unavailable(let failure):
            metadata["decision"] = "unavailable"
            metadata["reason"] = "\(failure.kind)"
        }
        if let token { metadata["token"] = "\(token.logID)" }
        if let method = request.originalMethod { metadata["method"] = "\(method)" }
        // The query is left out: it may carry an access_token parameter.
        if let uri = request.originalURI { metadata["path"] = "\(uri.prefix { $0 != "?" }.prefix(200))" }
        logger.debug("decision", metadata: metadata)
        return decision
    }
}
