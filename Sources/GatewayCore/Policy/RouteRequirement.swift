/// What one route asks of a request: a rule of the policy file, or its default.
///
/// Global requirements (`REQUIRED_SCOPES`, `REQUIRED_AUDIENCE`, `REQUIRED_ISSUER`) apply in
/// addition on every route that needs a token; see `AccessPolicy.denial(for:route:)`.
public struct RouteRequirement: Sendable, Equatable {
    public enum Access: Sendable, Equatable {
        /// An active token that meets the requirements.
        case token
        /// No token needed. A request that brings one is still introspected (so identity
        /// headers flow) and refused if the token is invalid; scopes are not required.
        case anonymous
        /// Refused for everyone (403).
        case deny
    }

    public var access: Access
    /// Every one of these must be granted (`all_scopes`).
    public var allScopes: [String]
    /// At least one of these must be granted (`any_scopes`); empty: no such requirement.
    public var anyScopes: [String]
    /// The token's `aud` must contain this (`audience`); 403 otherwise.
    public var audience: String?
    /// Which rule this is, for logs: `rules[2] "/orders/**"` or `default`.
    public var label: String

    public init(access: Access = .token, allScopes: [String] = [], anyScopes: [String] = [], audience: String? = nil, label: String = "default") {
        self.access = access
        self.allScopes = allScopes
        self.anyScopes = anyScopes
        self.audience = audience
        self.label = label
    }

    /// An active token that meets the global requirements: the default without a policy file.
    public static let tokenRequired = RouteRequirement()
}

/// A rule of the policy file: which requests it applies to, and what it requires of them.
public struct RouteRule: Sendable, Equatable {
    public let pattern: PathPattern
    /// Upper-case method names; nil: every method. `GET` brings `HEAD` with it, because
    /// upstreams answer HEAD with their GET handler.
    public let methods: [String]?
    public let requirement: RouteRequirement

    public init(pattern: PathPattern, methods: [String]?, requirement: RouteRequirement) {
        self.pattern = pattern
        self.methods = methods.map { names in
            let upper = names.map { $0.uppercased() }
            return upper.contains("GET") && !upper.contains("HEAD") ? upper + ["HEAD"] : upper
        }
        self.requirement = requirement
    }

    func matches(method: String?, path: RequestPath) -> Bool {
        if let methods {
            guard let method, methods.contains(where: { Self.equalIgnoringASCIICase($0, method) }) else { return false }
        }
        return pattern.matches(path)
    }

    /// Methods are compared without regard to case: an upstream that accepts `delete` must not
    /// see it slip past a rule for `DELETE`.
    private static func equalIgnoringASCIICase(_ upper: String, _ other: String) -> Bool {
        upper.utf8.elementsEqual(other.utf8) { $0 == (($1 >= 0x61 && $1 <= 0x7a) ? $1 - 0x20 : $1) }
    }
}
