/// What JWTs are signed and verified with at one moment, and the JWKS that publishes it.
///
/// A reload builds a new one and swaps it in whole (`LiveSettings`); a request keeps the one it
/// started with, so it never mixes two keys.
public final class SigningState: Sendable {
    /// Signs the JWT of a 200; nil when `JWT_HEADER_NAME` is not set.
    public let issuer: JWTIssuer?
    /// Verifies a presented JWT (`ALLOW_JWT_PASSTHROUGH`); nil when passthrough is off.
    public let passthrough: PassthroughVerifier?
    /// The public keys published and accepted, the signing key's first; empty for HS256.
    public let publicKeys: [VerificationKey]
    /// `{"keys":[…]}`, rendered once (`/.well-known/jwks.json`).
    public let jwks: [UInt8]

    public init(signing: GatewayConfiguration.Signing, allowsPassthrough: Bool, clockSkew: Duration) {
        let signer: (any JWSSigner)?
        let verifier: JWSVerifier?
        if let keys = signing.keys {
            signer = AsymmetricSigner(key: keys.current)
            verifier = JWSVerifier(keys: keys.publicKeys)
            publicKeys = keys.publicKeys
        } else if let secret = signing.secret {
            let hs256 = HS256Signer(secret: secret)
            signer = hs256
            verifier = JWSVerifier(secret: hs256)
            publicKeys = []
        } else {
            signer = nil
            verifier = nil
            publicKeys = []
        }
        if let signer, signing.headerName != nil {
            issuer = JWTIssuer(signer: signer, ttl: signing.ttl, issuer: signing.issuer, audience: signing.audience, claims: signing.claims)
        } else {
            issuer = nil
        }
        if let verifier, allowsPassthrough, signing.headerName != nil {
            passthrough = PassthroughVerifier(verifier: verifier, issuer: signing.issuer, audience: signing.audience, clockSkew: clockSkew)
        } else {
            passthrough = nil
        }
        jwks = Self.render(publicKeys)
    }

    private static func render(_ keys: [VerificationKey]) -> [UInt8] {
        // Each key's members in their published order (a JSONValue object would sort them).
        var bytes = Array(#"{"keys":["#.utf8)
        for (index, key) in keys.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            var member = JSONWriter(capacity: 512)
            member.writeObject(key.jwk)
            bytes += member.bytes
        }
        bytes += Array("]}".utf8)
        return bytes
    }
}
