/// The facts of one request that the pipeline decides on, taken from HTTP by an edge.
public struct AuthRequest: Sendable {
    /// What the `Authorization` header said.
    public var authorization: AuthorizationHeader
    /// The value of `JWT_HEADER_NAME` the request already carries (only read with `ALLOW_JWT_PASSTHROUGH`).
    public var presentedJWT: String?
    /// The original request's method and URI, as the proxy reported them (for logs and policies).
    public var originalMethod: String?
    public var originalURI: String?
    /// The proxy reported the original request in more than one way, and the reports differ
    /// (e.g. a client-sent `X-Original-URI` next to Traefik's `X-Forwarded-Uri`). A route policy
    /// then cannot tell which path to judge, and refuses.
    public var hasConflictingOriginal: Bool

    public init(
        authorization: AuthorizationHeader, presentedJWT: String? = nil, originalMethod: String? = nil, originalURI: String? = nil,
        hasConflictingOriginal: Bool = false
    ) {
        self.authorization = authorization
        self.presentedJWT = presentedJWT
        self.originalMethod = originalMethod
        self.originalURI = originalURI
        self.hasConflictingOriginal = hasConflictingOriginal
    }
}
