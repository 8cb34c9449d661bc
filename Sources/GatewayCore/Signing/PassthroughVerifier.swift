/// Checks a JWT that a request already carries (`ALLOW_JWT_PASSTHROUGH`): it counts only if it
/// verifies with one of our keys (the HS256 secret, or the current or a previous public key),
/// has an `exp` in the future, is valid now (`nbf`), carries our `iss` when `JWT_ISSUER` is set
/// and our `aud` when `JWT_AUDIENCE` is set. Anything else is treated as absent.
public struct PassthroughVerifier: Sendable {
    private let verifier: JWSVerifier
    private let issuer: String?
    private let audience: String?
    private let clockSkew: Double

    public init(verifier: JWSVerifier, issuer: String?, audience: String? = nil, clockSkew: Duration) {
        self.verifier = verifier
        self.issuer = issuer
        self.audience = audience
        self.clockSkew = clockSkew.seconds
    }

    public init(signer: HS256Signer, issuer: String?, audience: String? = nil, clockSkew: Duration) {
        self.init(verifier: JWSVerifier(secret: signer), issuer: issuer, audience: audience, clockSkew: clockSkew)
    }

    /// The claims of a JWT that verifies, or nil.
    public func verify(_ jwt: some StringProtocol, now: Double) -> TokenClaims? {
        guard jwt.utf8.count <= AuthorizationHeader.maximumTokenLength,
              let payload = verifier.verifiedPayload(of: jwt),
              let value = try? JSONValueParser.parse(payload),
              case .object(let members) = value,
              let expiresAt = members["exp"]?.numericValue, expiresAt > now
        else { return nil }
        if let notBefore = members["nbf"], (notBefore.numericValue ?? .infinity) > now + clockSkew { return nil }
        if let issuer, members["iss"] != .string(issuer) { return nil }
        let claims = TokenClaims(members)
        if let audience, !claims.audiences.contains(audience) { return nil }
        return claims
    }
}
