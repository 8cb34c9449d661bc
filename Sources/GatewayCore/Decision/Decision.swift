/// The pipeline's answer to one request. `GatewayHTTP` turns it into a status and headers in
/// exactly one place.
public enum Decision: Sendable {
    /// Let the request through.
    case allow(Grant)
    /// The client must present (other) credentials: 401, or 403 for a policy refusal.
    case deny(Denial)
    /// The identity provider could not be asked: 503. Never a 401.
    case unavailable(IntrospectionFailure)
}

/// Why a request is refused.
public enum Denial: Sendable, Equatable {
    /// No bearer token was presented (401 with a challenge and no error code, RFC 6750 §3.1).
    case missingToken
    /// The token is inactive, expired, not yet valid, malformed, or not meant for this service
    /// (wrong audience or issuer): 401 `invalid_token`.
    case invalidToken(String)
    /// The token is valid but lacks these scopes (space-separated): 403 `insufficient_scope` (RFC 6750 §3.1).
    /// Empty when the route needs something no scope grants (an audience): no `scope` attribute then.
    case insufficientScope(String)
    /// Refused whatever the credentials: a `deny` rule, or a request path the policy cannot
    /// judge safely (why, for logs): 403 without a challenge.
    case forbidden(String)
}

/// What an allowed request carries on to the upstream.
public struct Grant: Sendable {
    /// Where the decision came from, for logs and metrics.
    public enum Source: String, Sendable {
        case introspection
        case cache
        case passthrough
        case anonymous
    }

    /// The token's claims; nil for an anonymous request (`ALLOW_MISSING_AUTH_HEADER`).
    public let claims: TokenClaims?
    /// The JWT for `JWT_HEADER_NAME`, when signing is configured.
    public let jwt: SignedJWT?
    public let source: Source

    public init(claims: TokenClaims?, jwt: SignedJWT?, source: Source) {
        self.claims = claims
        self.jwt = jwt
        self.source = source
    }

    public static let anonymous = Grant(claims: nil, jwt: nil, source: .anonymous)

    /// `sub`, else `username`: who the token belongs to.
    public var subject: String? { claims?.subject ?? claims?.username }
    public var scope: String? { claims?.scope }
    public var clientID: String? { claims?.clientID }
}
