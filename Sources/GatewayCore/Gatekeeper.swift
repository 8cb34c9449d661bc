import Logging

/// The one decision pipeline: request facts in, `Decision` out.
///
/// Every edge (`/auth`, and later the Destination proxy) calls this, so no path can skip a
/// step: passthrough check → token → introspection (through whatever cache wraps the
/// introspector) → expiry check → signing.
public struct Gatekeeper: Sendable {
    private let introspector: any TokenIntrospector
    private let issuer: JWTIssuer?
    private let passthrough: PassthroughVerifier?
    private let allowsMissingAuthorization: Bool
    private let clockSkew: Double
    private let clock: any WallClock
    private let logger: Logger

    public init(configuration: GatewayConfiguration, introspector: any TokenIntrospector, clock: any WallClock = SystemWallClock(), logger: Logger) {
        self.introspector = introspector
        let signer = configuration.signing.secret.map(HS256Signer.init(secret:))
        if let signer, configuration.signing.headerName != nil {
            issuer = JWTIssuer(signer: signer, ttl: configuration.signing.ttl, issuer: configuration.signing.issuer)
            passthrough = configuration.allowsJWTPassthrough
                ? PassthroughVerifier(signer: signer, issuer: configuration.signing.issuer, clockSkew: configuration.clockSkew) : nil
        } else {
            issuer = nil
            passthrough = nil
        }
        allowsMissingAuthorization = configuration.allowsMissingAuthorization
        clockSkew = configuration.clockSkew.seconds
        self.clock = clock
        self.logger = logger
    }

    public func decide(_ request: AuthRequest) async -> Decision {
        if let passthrough, let presented = request.presentedJWT {
            let now = clock.now()
            if let claims = passthrough.verify(presented, now: now) {
                log(request, "allow", source: "passthrough")
                return .allow(Grant(claims: claims, jwt: SignedJWT(compact: presented, expiresAt: claims.expiresAt ?? now), source: .passthrough))
            }
        }
        switch request.authorization {
        case .missing where allowsMissingAuthorization:
            log(request, "allow", source: "anonymous")
            return .allow(.anonymous)
        case .missing, .otherScheme:
            log(request, "deny", source: "no bearer token")
            return .deny(.missingToken)
        case .malformed:
            log(request, "deny", source: "malformed token")
            return .deny(.invalidToken("malformed"))
        case .bearer(let token):
            return await decide(request, token: token)
        }
    }

    private func decide(_ request: AuthRequest, token: BearerToken) async -> Decision {
        let result: IntrospectionResult
        do {
            result = try await introspector.introspect(token)
        } catch {
            var logger = logger
            logger[metadataKey: "token"] = "\(token.logID)"
            logger.log(level: error.kind == "credentials_rejected" ? .error : .warning, "introspection failed: \(error)")
            return .unavailable(error)
        }
        // Checked again here, not only when the answer arrived: a cached answer ages.
        let now = clock.now()
        switch result {
        case .active(let claims):
            switch IntrospectionAnswer.check(claims, now: now, clockSkew: clockSkew) {
            case .active:
                log(request, "allow", token: token)
                return .allow(Grant(claims: claims, jwt: issuer?.issue(for: claims, now: now), source: .introspection))
            case .inactive(let reason):
                log(request, "deny", token: token, source: reason.rawValue)
                return .deny(.invalidToken(reason.rawValue))
            }
        case .inactive(let reason):
            log(request, "deny", token: token, source: reason.rawValue)
            return .deny(.invalidToken(reason.rawValue))
        }
    }

    private func log(_ request: AuthRequest, _ outcome: String, token: BearerToken? = nil, source: String? = nil) {
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = ["decision": "\(outcome)"]
        if let token { metadata["token"] = "\(token.logID)" }
        if let source { metadata["reason"] = "\(source)" }
        if let method = request.originalMethod { metadata["method"] = "\(method)" }
        // The query is left out: it may carry an access_token parameter.
        if let uri = request.originalURI { metadata["path"] = "\(uri.prefix { $0 != "?" }.prefix(200))" }
        logger.debug("decision", metadata: metadata)
    }
}
