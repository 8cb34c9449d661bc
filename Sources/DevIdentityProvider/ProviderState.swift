/// The mutable part of ``DevIdentityProvider``, kept behind one mutex.
struct ProviderState: Sendable {
    var tokens: [String: TokenRecord] = [:]
    /// Every token ever issued or registered, revoked ones included (for leak checks).
    var everKnown: [String] = []
    var introspectionCount = 0
    var lastIntrospectionRequest: RecordedRequest?
    var failureMode: FailureMode = .normal
}
