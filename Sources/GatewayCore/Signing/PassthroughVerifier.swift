/// Checks a JWT that a request already carries (`ALLOW_JWT_PASSTHROUGH`): it counts only if it
/// is an HS256 JWT signed with our secret, has an `exp` in the future, is valid now (`nbf`),
/// and carries our `iss` when `JWT_ISSUER` is set. Anything else is treated as absent.
public struct PassthroughVerifier: Sendable {
    private let signer: HS256Signer
    private let issuer: String?
    private let clockSkew: Double

    public init(signer: HS256Signer, issuer: String?, clockSkew: Duration) {
        self.signer = signer
        self.issuer = issuer
        self.clockSkew = clockSkew.seconds
    }

    /// The claims of a JWT that verifies, or nil.
    public func verify(_ jwt: some StringProtocol, now: Double) -> TokenClaims? {
        guard jwt.utf8.count <= AuthorizationHeader.maximumTokenLength,
              let payload = signer.verifiedPayload(of: jwt),
              let value = try? JSONValueParser.parse(payload),
              case .object(let members) = value,
              let expiresAt = members["exp"]?.numericValue, expiresAt > now
        else { return nil }
        if let notBefore = members["nbf"], (notBefore.numericValue ?? .infinity) > now + clockSkew { return nil }
        if let issuer, members["iss"] != .string(issuer) { return nil }
        return TokenClaims(members)
    }
}
