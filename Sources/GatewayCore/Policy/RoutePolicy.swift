/// The per-route part of the access policy (`POLICY_FILE`): rules matched in order on the
/// original request's method and normalised path; the first match applies, else the default.
///
/// Without a policy file there are no rules and every request gets the default (an active
/// token that meets the global requirements), without looking at its path.
public struct RoutePolicy: Sendable, Equatable {
    public let rules: [RouteRule]
    public let defaultRequirement: RouteRequirement
    /// `ignore_case`: paths and patterns are compared with ASCII letters folded, for upstreams
    /// that treat `/Admin` as `/admin`.
    public let ignoresCase: Bool
    /// Where the rules were read from (for reloads and logs).
    public let file: String?
    /// Whether any rule depends on the method (then a request must say which it is).
    let usesMethods: Bool

    public init(rules: [RouteRule], defaultRequirement: RouteRequirement = .tokenRequired, ignoresCase: Bool = false, file: String? = nil) {
        self.rules = rules
        self.defaultRequirement = defaultRequirement
        self.ignoresCase = ignoresCase
        self.file = file
        usesMethods = rules.contains { $0.methods != nil }
    }

    /// No rules: every request needs an active token that meets the global requirements.
    public static let none = RoutePolicy(rules: [])

    /// Which requirement applies to a request, or why none can be chosen safely (a 403).
    public func match(_ request: AuthRequest) -> RouteMatch {
        guard !rules.isEmpty else { return .matched(defaultRequirement) }
        if request.hasConflictingOriginal {
            return .refused("the proxy's headers disagree on the original request (X-Original-* vs X-Forwarded-* vs /auth/… path)")
        }
        guard let uri = request.originalURI else {
            return .refused("the original URI is unknown; the proxy must send X-Original-URI or X-Forwarded-Uri (or call /auth/<path>)")
        }
        if usesMethods, request.originalMethod == nil {
            return .refused("the original method is unknown; the proxy must send X-Original-Method or X-Forwarded-Method")
        }
        let path: RequestPath
        switch RequestPath.normalize(uri, lowercased: ignoresCase) {
        case .success(let normalized): path = normalized
        case .failure(let refusal): return .refused("the path cannot be normalised safely: \(refusal)")
        }
        for rule in rules where rule.matches(method: request.originalMethod, path: path) {
            return .matched(rule.requirement)
        }
        return .matched(defaultRequirement)
    }
}

/// The outcome of matching a request against the route policy.
public enum RouteMatch: Sendable, Equatable {
    case matched(RouteRequirement)
    /// No rule can be chosen safely (an ambiguous or unnormalisable path): 403 for everyone.
    case refused(String)
}
