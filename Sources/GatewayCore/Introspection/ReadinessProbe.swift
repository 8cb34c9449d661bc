/// Answers "is the identity provider reachable?" for `/readyz`.
///
/// Real traffic keeps `ProviderHealth` current; only when nothing was heard for a while does a
/// probe introspect a random token (any answer, active or not, proves the provider works).
public struct ReadinessProbe: Sendable {
    private let health: ProviderHealth
    private let introspector: any TokenValidator
    private let maximumAge: Double

    /// - Parameter introspector: the uncached introspector that records into `health`.
    public init(health: ProviderHealth, introspector: any TokenValidator, maximumAge: Duration = .seconds(10)) {
        self.health = health
        self.introspector = introspector
        self.maximumAge = maximumAge.seconds
    }

    public func isReady() async -> Bool {
        if let known = health.knownReachability(maximumAge: maximumAge) { return known }
        let probe = BearerToken("readiness-probe-" + String(UInt64.random(in: .min ... .max), radix: 16))
        do {
            _ = try await introspector.validate(probe)
            return true
        } catch {
            return false
        }
    }
}
