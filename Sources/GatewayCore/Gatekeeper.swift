import Logging

/// The one decision pipeline: request facts in, `Decision` out.
///
/// Every edge (`/auth`, its event-loop fast path, and later the Destination proxy) calls this,
/// so no path can skip a step: passthrough check → token → introspection (through the cache)
/// → expiry check → access policy → signing. A cache hit runs the same checks as a miss; only the provider's
/// answer (and the JWT signed for it) is reused, never a decision.
public struct Gatekeeper: Sendable {
    /// A cached JWT is reused only while it has at least this long to live.
    public static let jwtReuseMargin = 10.0

    private let introspector: any TokenIntrospector
    private let cache: CachingIntrospector?
    private let issuer: JWTIssuer?
    private let passthrough: PassthroughVerifier?
    private let policy: AccessPolicy
    private let allowsMissingAuthorization: Bool
    private let clockSkew: Double
    private let clock: any WallClock
    private let metrics: GatewayMetrics
    private let logger: Logger

    public init(
        configuration: GatewayConfiguration, introspector: any TokenIntrospector, clock: any WallClock = SystemWallClock(),
        metrics: GatewayMetrics = .disabled, logger: Logger
    ) {
        self.introspector = introspector
        self.cache = introspector as? CachingIntrospector
        let signer = configuration.signing.secret.map(HS256Signer.init(secret:))
        if let signer, configuration.signing.headerName != nil {
            issuer = JWTIssuer(signer: signer, ttl: configuration.signing.ttl, issuer: configuration.signing.issuer)
            passthrough = configuration.allowsJWTPassthrough
                ? PassthroughVerifier(signer: signer, issuer: configuration.signing.issuer, clockSkew: configuration.clockSkew) : nil
        } else {
            issuer = nil
            passthrough = nil
        }
        policy = configuration.policy
        allowsMissingAuthorization = configuration.allowsMissingAuthorization
        clockSkew = configuration.clockSkew.seconds
        self.clock = clock
        self.metrics = metrics
        self.logger = logger
    }

    /// The decision for a request.
    public func decide(_ request: AuthRequest) async -> Decision {
        if let decision = decideWithoutWaiting(request) { return decision }
        guard case .bearer(let token) = request.authorization else {
            preconditionFailure("decideWithoutWaiting decides every request without a bearer token")
        }
        return record(await introspectAndDecide(request, token: token), request, token: token)
    }

    /// The decision when it needs no waiting (no token, a malformed one, a verified passthrough
    /// JWT, or a fresh cache entry); nil when the provider must be asked. Synchronous, so an
    /// event loop can answer cache hits itself.
    public func decideWithoutWaiting(_ request: AuthRequest) -> Decision? {
        let now = clock.now()
        if let passthrough, let presented = request.presentedJWT, let claims = passthrough.verify(presented, now: now) {
            return record(.allow(Grant(claims: claims, jwt: SignedJWT(compact: presented, expiresAt: claims.expiresAt ?? now), source: .passthrough)), request)
        }
        switch request.authorization {
        case .missing where allowsMissingAuthorization:
            return record(.allow(.anonymous), request)
        case .missing, .otherScheme:
            return record(.deny(.missingToken), request)
        case .malformed:
            return record(.deny(.invalidToken("malformed")), request)
        case .bearer(let token):
            guard let cache, let entry = cache.freshEntry(for: token, now: now) else { return nil }
            return record(decide(entry.result, token: token, cachedJWT: entry.jwt, now: now, source: .cache), request, token: token)
        }
    }

    private func introspectAndDecide(_ request: AuthRequest, token: BearerToken) async -> Decision {
        do {
            let result = try await introspector.introspect(token)
            return decide(result, token: token, cachedJWT: nil, now: clock.now(), source: .introspection)
        } catch {
            var logger = logger
            logger[metadataKey: "token"] = "\(token.logID)"
            logger.log(level: error.kind == "credentials_rejected" ? .error : .warning, "introspection failed: \(error)")
            return .unavailable(error)
        }
    }

    /// Expiry is checked again here, not only when the answer arrived: a cached answer ages.
    private func decide(_ result: IntrospectionResult, token: BearerToken, cachedJWT: SignedJWT?, now: Double, source: Grant.Source) -> Decision {
        switch result {
        case .active(let claims):
            switch IntrospectionAnswer.check(claims, now: now, clockSkew: clockSkew) {
            case .active:
                if let denial = policy.denial(for: claims) { return .deny(denial) }
                return .allow(Grant(claims: claims, jwt: jwt(for: claims, token: token, cached: cachedJWT, now: now), source: source))
            case .inactive(let reason):
                return .deny(.invalidToken(reason.rawValue))
            }
        case .inactive(let reason):
            return .deny(.invalidToken(reason.rawValue))
        }
    }

    private func jwt(for claims: TokenClaims, token: BearerToken, cached: SignedJWT?, now: Double) -> SignedJWT? {
        guard let issuer else { return nil }
        if let cached, cached.expiresAt - now >= Self.jwtReuseMargin { return cached }
        let fresh = issuer.issue(for: claims, now: now)
        cache?.cache.attach(fresh, to: token.fingerprint)
        return fresh
    }

    private func record(_ decision: Decision, _ request: AuthRequest, token: BearerToken? = nil) -> Decision {
        metrics.recordDecision(decision)
        guard logger.logLevel <= .debug else { return decision }
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
            case .insufficientScope(let scope): metadata["reason"] = "insufficient scope, needs \(scope)"
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
