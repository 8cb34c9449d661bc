/// Asks whether a token is active (RFC 7662). Implemented over HTTP by `HTTPTokenIntrospector`,
/// and wrapped by the cache.
public protocol TokenIntrospector: Sendable {
    func introspect(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult
}
