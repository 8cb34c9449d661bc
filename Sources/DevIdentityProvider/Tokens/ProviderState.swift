/// The mutable part of ``DevIdentityProvider``, kept behind one mutex.
struct ProviderState: Sendable {
    var tokens: [String: TokenRecord] = [:]
    /// Every token ever issued or registered, revoked ones included (for leak checks).
    var everKnown: [String] = []
    var introspectionCount = 0
    var lastIntrospectionRequest: RecordedRequest?
    var failureMode: FailureMode = .normal
}

/// What the provider knows about a token it will be asked to introspect.
enum TokenRecord: Sendable {
    /// Issued by `/token`, `/_dev/tokens` or `issueToken`: claims are computed on each request.
    case issued(IssuedToken)
    /// Registered by a test: introspection returns exactly this JSON text.
    case registered(answer: String)
}
