/// Turns the claims of an active token into the JWT the upstream receives.
///
/// The payload is the introspection answer without `active` (only the `JWT_CLAIMS` members when
/// that is set), plus `iat` (now), `exp` (the earlier of the token's own `exp` and now +
/// `JWT_TTL`), `jti`, `iss` when `JWT_ISSUER` is set (else the provider's `iss` stays) and `aud`
/// when `JWT_AUDIENCE` is set (else the provider's `aud` stays). Claims from the provider never
/// override ours.
public final class JWTIssuer: Sendable {
    private let signer: any JWSSigner
    private let ttl: Double
    private let issuer: String?
    private let audience: String?
    /// `JWT_CLAIMS`: nil copies every claim.
    private let selectedClaims: Set<String>?
    private let ownClaims: Set<String>
    /// The `kid` new JWTs carry (nil for HS256), so a cached JWT of a replaced key is not reused.
    public let keyID: String?

    public init(signer: any JWSSigner, ttl: Duration, issuer: String?, audience: String? = nil, claims: [String]? = nil) {
        self.signer = signer
        self.ttl = ttl.seconds
        self.issuer = issuer
        self.audience = audience
        selectedClaims = claims.map(Set.init)
        var own: Set<String> = ["active", "iat", "exp", "jti"]
        if issuer != nil { own.insert("iss") }
        if audience != nil { own.insert("aud") }
        ownClaims = own
        keyID = signer.keyID
    }

    public func issue(for claims: TokenClaims, now: Double) throws(SigningFailure) -> SignedJWT {
        let expiresAt = min(claims.expiresAt ?? .infinity, now + ttl).rounded(.down)
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(min(claims.members.count, selectedClaims?.count ?? .max) + 5)
        for (key, value) in claims.members where !ownClaims.contains(key) && selectedClaims?.contains(key) != false {
            members.append((key, value))
        }
        members.sort { $0.key < $1.key }
        if let issuer { members.append(("iss", .string(issuer))) }
        if let audience { members.append(("aud", .string(audience))) }
        members.append(("iat", .integer(Int64(now.rounded(.down)))))
        members.append(("exp", .integer(Int64(expiresAt))))
        members.append(("jti", .string(Self.makeJTI())))
        var writer = JSONWriter(capacity: 384)
        writer.writeObject(members)
        return SignedJWT(compact: try signer.sign(payload: writer.bytes), expiresAt: expiresAt, keyID: signer.keyID)
    }

    /// 128 random bits, hex.
    private static func makeJTI() -> String {
        var generator = SystemRandomNumberGenerator()
        return withUnsafeBytes(of: (generator.next() as UInt64, generator.next() as UInt64)) { Hex.encode($0) }
    }
}
