/// What an active token must also carry to be let through: scopes (all of them), an audience,
/// an issuer. Evaluated on every request, cache hits included.
public struct AccessPolicy: Sendable, Equatable {
    /// `REQUIRED_SCOPES`: every one must be in the token's `scope`.
    public var requiredScopes: [String]
    /// `REQUIRED_AUDIENCE`: must be one of the token's `aud` values.
    public var audience: String?
    /// `REQUIRED_ISSUER`: must equal the token's `iss`.
    public var issuer: String?

    public init(requiredScopes: [String] = [], audience: String? = nil, issuer: String? = nil) {
        self.requiredScopes = requiredScopes
        self.audience = audience
        self.issuer = issuer
    }

    /// Lets everything active through.
    public static let none = AccessPolicy()

    /// nil when the claims satisfy the policy, else why not.
    public func denial(for claims: TokenClaims) -> Denial? {
        if let issuer, claims.issuer != issuer { return .invalidToken("issuer not accepted") }
        if let audience, !claims.audiences.contains(audience) { return .invalidToken("audience not accepted") }
        if !requiredScopes.isEmpty {
            let granted = Set((claims.scope ?? "").split(separator: " ").map(String.init))
            if !requiredScopes.allSatisfy(granted.contains) { return .insufficientScope(requiredScopes.joined(separator: " ")) }
        }
        return nil
    }

    /// Splits a scope list given with spaces and/or commas.
    public static func scopes(from text: String) -> [String] {
        text.split { $0 == " " || $0 == "," }.map(String.init)
    }
}
