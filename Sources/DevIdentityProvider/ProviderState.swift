/// The mutable part of ``DevIdentityProvider``, kept behind one mutex.
struct ProviderState: Sendable {
    var tokens: [String: TokenRecord] = [:]
    var introspectionCount = 0
    var lastIntrospectionRequest: RecordedRequest?
    var failureMode: FailureMode = .normal
}
