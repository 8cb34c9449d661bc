import Logging

/// The one decision pipeline: request facts in, `Decision` out.
///
/// Every edge (`/auth`, its event-loop fast path, and later the Destination proxy) calls this,
/// so no path can skip a step: passthrough check → token → introspection (through the cache)
/// → expiry check → access policy → signing. A cache hit runs the same checks as a miss; only the provider's
/// answer (and the JWT signed for it) is reused, never a decision.
///
/// The route policy and signing keys come from `liveSettings`, which a reload (SIGHUP) may
/// replace: each request takes one snapshot of them and decides with it from start to end.
public final class Gatekeeper: Sendable {
    /// A cached JWT is reused only while it has at least this long to live.
    public static let jwtReuseMargin = 10.0

    private let introspector: any TokenIntrospector
    private let cache: CachingIntrospector?
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

    public init(
        configuration: GatewayConfiguration, introspector: any TokenIntrospector, clock: any WallClock = SystemWallClock(),
        metrics: GatewayMetrics = .disabled, logger: Logger
    ) {
        self.introspector = introspector
        self.cache = introspector as? CachingIntrospector
        liveSettings = LiveSettings(configuration: configuration)
        policy = configuration.policy
        allowsMissingAuthorization = configuration.allowsMissingAuthorization
        clockSkew = configuration.clockSkew.seconds
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
        logsDecisions = logger.logLevel <= .debug
    }

    /// The decision for a request.
    public func decide(_ request: AuthRequest) async -> Decision {
        let settings = liveSettings.current
        let route = settings.routes.match(request)
        if let decision = decideWithoutWaiting(request, route: route, signing: settings.signing) { return decision }
        guard case .bearer(let token) = request.authorization, case .matched(let requirement) = route else {
            preconditionFailure("decideWithoutWaiting decides every request without a bearer token or a route")
        }
        return record(await introspectAndDecide(request, token: token, route: requirement, signing: settings.signing), request, token: token)
    }

    /// The decision when it needs no waiting (no token, a malformed one, a verified passthrough
    /// JWT, or a fresh cache entry); nil when the provider must be asked. Synchronous, so an
    /// event loop can answer cache hits itself.
    public func decideWithoutWaiting(_ request: AuthRequest) -> Decision? {
        let settings = liveSettings.current
        return decideWithoutWaiting(request, route: settings.routes.match(request), signing: settings.signing)
    }

    /// The route is decided first: a path the policy refuses, or a deny rule, needs no token.
    private func decideWithoutWaiting(_ request: AuthRequest, route: RouteMatch, signing: SigningState) -> Decision? {
        let requirement: RouteRequirement
        switch route {
        case .refused(let reason): return record(.deny(.forbidden(reason)), request)
        case .matched(let matched): requirement = matched
        }
        if requirement.access == .deny { return record(.deny(.forbidden("denied by \(requirement.label)")), request) }
        let now = clock.now()
        if let passthrough = signing.passthrough, let presented = request.presentedJWT, let claims = passthrough.verify(presented, now: now) {
            // Our signature vouches for the global issuer and audience; scopes and the route are checked here.
            if let denial = policy.denial(for: claims, route: requirement, bindingVerified: true) { return record(.deny(denial), request) }
            let jwt = SignedJWT(compact: presented, expiresAt: claims.expiresAt ?? now)
            return record(.allow(Grant(claims: claims, jwt: jwt, source: .passthrough)), request)
        }
        switch request.authorization {
        case .missing where allowsMissingAuthorization || requirement.access == .anonymous, .otherScheme where requirement.access == .anonymous:
            return record(.allow(.anonymous), request)
        case .missing, .otherScheme:
            return record(.deny(.missingToken), request)
        case .malformed:
            return record(.deny(.invalidToken("malformed")), request)
        case .bearer(let token):
            guard let cache, let entry = cache.freshEntry(for: token, now: now) else { return nil }
            let decision = decide(entry.result, token: token, cachedJWT: entry.jwt, now: now, source: .cache, route: requirement, signing: signing)
            return record(decision, request, token: token)
        }
    }

    private func introspectAndDecide(_ request: AuthRequest, token: BearerToken, route: RouteRequirement, signing: SigningState) async -> Decision {
        do {
            let result = try await introspector.introspect(token)
            return decide(result, token: token, cachedJWT: nil, now: clock.now(), source: .introspection, route: route, signing: signing)
        } catch {
            var logger = logger
            logger[metadataKey: "token"] = "\(token.logID)"
            logger.log(level: error.kind == "credentials_rejected" ? .error : .warning, "introspection failed: \(error)")
            return .unavailable(error)
        }
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
        cache?.cache.attach(fresh, to: token.fingerprint)
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
