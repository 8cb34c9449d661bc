/// What an active token must also carry to be let through: scopes (all of them), an audience,
/// an issuer, globally and per route. Evaluated on every request, cache hits included.
public struct AccessPolicy: Sendable {
    /// `REQUIRED_SCOPES`: every one must be in the token's `scope`.
    public var requiredScopes: [String]
    /// `REQUIRED_AUDIENCE`: must be one of the token's `aud` values.
    public var audience: String?
    /// `REQUIRED_ISSUER`: must equal the token's `iss`.
    public var issuer: String?
    /// `POLICY_FILE`: per-route rules, as read at start-up (a reload replaces the gatekeeper's
    /// copy, not this one).
    public var routes: RoutePolicy

    public init(requiredScopes: [String] = [], audience: String? = nil, issuer: String? = nil, routes: RoutePolicy = .none) {
        self.requiredScopes = requiredScopes
        self.audience = audience
        self.issuer = issuer
        self.routes = routes
    }

    /// Lets everything active through.
    public static let none = AccessPolicy()

    /// nil when the claims satisfy the policy on every route, else why not.
    public func denial(for claims: TokenClaims) -> Denial? {
        denial(for: claims, route: .tokenRequired)
    }

    /// nil when an active token's claims satisfy the global policy and the route's requirement.
    ///
    /// - Global issuer and audience say whether the token is meant for this service at all: 401
    ///   `invalid_token`, on every route (anonymous ones included, where a token is optional but
    ///   must be valid if given).
    /// - Scopes (global and the route's) and the route's audience say whether it is enough for
    ///   this route: 403 `insufficient_scope`. The `scope` attribute lists scopes that suffice
    ///   together: every required one, plus the `any_scopes` alternatives when none was granted.
    ///   A route audience failure has no scope to name and leaves the attribute out.
    /// - `bindingVerified`: the global issuer and audience were checked when the claims were
    ///   signed (a passthrough JWT of ours, whose `iss` and `aud` may since be ours): skip them.
    public func denial(for claims: TokenClaims, route: RouteRequirement, bindingVerified: Bool = false) -> Denial? {
        if !bindingVerified {
            if let issuer, claims.issuer != issuer { return .invalidToken("issuer not accepted") }
            if let audience, !claims.audiences.contains(audience) { return .invalidToken("audience not accepted") }
        }
        switch route.access {
        case .deny: return .forbidden("denied by \(route.label)")
        case .anonymous: return nil
        case .token: break
        }
        let granted = claims.scope ?? ""
        let hasAll = requiredScopes.allSatisfy { Self.scope($0, isIn: granted) } && route.allScopes.allSatisfy { Self.scope($0, isIn: granted) }
        let hasAny = route.anyScopes.isEmpty || route.anyScopes.contains { Self.scope($0, isIn: granted) }
        if !hasAll || !hasAny {
            var needed = requiredScopes
            for scope in route.allScopes where !needed.contains(scope) { needed.append(scope) }
            if !hasAny { needed += route.anyScopes.filter { !needed.contains($0) } }
            return .insufficientScope(needed.joined(separator: " "))
        }
        if let audience = route.audience, !claims.audiences.contains(audience) { return .insufficientScope("") }
        return nil
    }

    /// Whether a space-separated scope list holds `scope`, without splitting it (no allocation).
    static func scope(_ scope: String, isIn granted: String) -> Bool {
        let wanted = scope.utf8
        var rest = granted.utf8[...]
        while !rest.isEmpty {
            let end = rest.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
            if rest[..<end].elementsEqual(wanted) { return true }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
        }
        return false
    }

    /// A scope token (RFC 6749 §3.3): printable ASCII without spaces, quotes or backslashes.
    public static func isScopeToken(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 == 0x21 || (0x23...0x5b).contains($0) || (0x5d...0x7e).contains($0) }
    }

    /// Splits a scope list given with spaces and/or commas.
    public static func scopes(from text: String) -> [String] {
        text.split { $0 == " " || $0 == "," }.map(String.init)
    }
}
