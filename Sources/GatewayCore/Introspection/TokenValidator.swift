/// Checks whether a token is valid: by asking the identity provider (RFC 7662 introspection,
/// `HTTPTokenIntrospector`), or by checking a JWT access token against the issuer's keys.
///
/// The answer is the same either way: `.active(claims)` or `.inactive(reason)`, cached and judged
/// by the same pipeline. "Could not check" (the provider or its key endpoint failed) is thrown as
/// an `IntrospectionFailure`, so it can never be mistaken for "inactive".
public protocol TokenValidator: Sendable {
    func validate(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult

    /// The result when it can be had without waiting (a JWT checked against keys already held),
    /// so an event loop can decide a new token itself; nil when `validate` must run.
    func validateWithoutWaiting(_ token: BearerToken, now: Double) -> IntrospectionResult?
}

extension TokenValidator {
    public func validateWithoutWaiting(_ token: BearerToken, now: Double) -> IntrospectionResult? { nil }
}
