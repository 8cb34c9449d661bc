/// The facts of one request that the pipeline decides on, taken from HTTP by an edge.
public struct AuthRequest: Sendable {
    /// What the `Authorization` header said.
    public var authorization: AuthorizationHeader
    /// The value of `JWT_HEADER_NAME` the request already carries (only read with `ALLOW_JWT_PASSTHROUGH`).
    public var presentedJWT: String?
    /// The original request's method and URI, as the proxy reported them (for logs and policies).
    public var originalMethod: String?
    public var originalURI: String?

    public init(authorization: AuthorizationHeader, presentedJWT: String? = nil, originalMethod: String? = nil, originalURI: String? = nil) {
        self.authorization = authorization
        self.presentedJWT = presentedJWT
        self.originalMethod = originalMethod
        self.originalURI = originalURI
    }
}
