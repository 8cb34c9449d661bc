/// The identity provider could not give an answer. Always a 503, never a 401.
///
/// A public struct around a private code (as AsyncHTTPClient's `HTTPClientError` does), so new
/// kinds of failure do not break users who switch over them.
public struct IntrospectionFailure: Error, Sendable, Equatable, CustomStringConvertible {
    enum Code: Sendable, Equatable {
        case timeout
        case connectionFailed(String)
        case tls(String)
        case credentialsRejected(status: Int)
        case rateLimited(retryAfter: String?)
        case serverError(status: Int)
        case unexpectedStatus(Int)
        case malformedAnswer(String)
        case answerTooLarge(limit: Int)
        case circuitOpen
        case overloaded
        case signingFailed
    }

    let code: Code

    public static let timeout = IntrospectionFailure(code: .timeout)
    public static let circuitOpen = IntrospectionFailure(code: .circuitOpen)
    /// Too many requests were already waiting for the same token's introspection.
    public static let overloaded = IntrospectionFailure(code: .overloaded)
    /// The introspection succeeded but its JWT could not be signed (a crypto library failure):
    /// a 503 rather than a 200 without the JWT the upstream expects.
    public static let signingFailed = IntrospectionFailure(code: .signingFailed)
    public static func connectionFailed(_ detail: String) -> IntrospectionFailure { .init(code: .connectionFailed(detail)) }
    public static func tls(_ detail: String) -> IntrospectionFailure { .init(code: .tls(detail)) }
    public static func credentialsRejected(status: Int) -> IntrospectionFailure { .init(code: .credentialsRejected(status: status)) }
    public static func rateLimited(retryAfter: String?) -> IntrospectionFailure { .init(code: .rateLimited(retryAfter: retryAfter)) }
    public static func serverError(status: Int) -> IntrospectionFailure { .init(code: .serverError(status: status)) }
    public static func unexpectedStatus(_ status: Int) -> IntrospectionFailure { .init(code: .unexpectedStatus(status)) }
    public static func malformedAnswer(_ detail: String) -> IntrospectionFailure { .init(code: .malformedAnswer(detail)) }
    public static func answerTooLarge(limit: Int) -> IntrospectionFailure { .init(code: .answerTooLarge(limit: limit)) }

    /// A short, stable name for metrics labels and logs.
    public var kind: String {
        switch code {
        case .timeout: "timeout"
        case .connectionFailed: "connection_failed"
        case .tls: "tls"
        case .credentialsRejected: "credentials_rejected"
        case .rateLimited: "rate_limited"
        case .serverError: "server_error"
        case .unexpectedStatus: "unexpected_status"
        case .malformedAnswer: "malformed_answer"
        case .answerTooLarge: "answer_too_large"
        case .circuitOpen: "circuit_open"
        case .overloaded: "overloaded"
        case .signingFailed: "signing_failed"
        }
    }

    /// Whether trying again at once may help (a refused connection, a 5xx).
    public var isRetryable: Bool {
        switch code {
        case .connectionFailed, .serverError: true
        default: false
        }
    }

    /// Whether this failure says the provider is unhealthy (rather than our answer being odd):
    /// such failures open the circuit breaker and allow a stale answer to stand in.
    public var countsAgainstProvider: Bool {
        switch code {
        case .timeout, .connectionFailed, .tls, .rateLimited, .serverError, .circuitOpen: true
        default: false
        }
    }

    public var description: String {
        switch code {
        case .timeout: "the identity provider did not answer in time"
        case .connectionFailed(let detail): "cannot connect to the identity provider: \(detail)"
        case .tls(let detail): "TLS with the identity provider failed: \(detail)"
        case .credentialsRejected(let status):
            "the identity provider rejected the gateway's client credentials (HTTP \(status)); check SSO_CLIENT_ID, SSO_CLIENT_SECRET and SSO_CLIENT_AUTH"
        case .rateLimited(let retryAfter): "the identity provider is rate limiting (HTTP 429\(retryAfter.map { ", Retry-After: \($0)" } ?? ""))"
        case .serverError(let status): "the identity provider failed (HTTP \(status))"
        case .unexpectedStatus(let status): "the identity provider answered HTTP \(status) to an introspection request"
        case .malformedAnswer(let detail): "the identity provider's answer is not an RFC 7662 response: \(detail)"
        case .answerTooLarge(let limit): "the identity provider's answer exceeds \(limit) bytes"
        case .circuitOpen: "the identity provider is failing; introspection is paused (circuit open)"
        case .overloaded: "too many requests are waiting for the same token's introspection"
        case .signingFailed: "the JWT for the upstream could not be signed"
        }
    }
}
