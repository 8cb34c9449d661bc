/// Turns the claims of an active token into the JWT the upstream receives.
///
/// The payload is the introspection answer without `active`, plus `iat` (now), `exp` (the earlier
/// of the token's own `exp` and now + `JWT_TTL`), `jti`, and `iss` when `JWT_ISSUER` is set (else
/// the provider's `iss` stays). Claims from the provider never override those four.
public struct JWTIssuer: Sendable {
    private let signer: HS256Signer
    private let ttl: Double
    private let issuer: String?
    private static let ownClaims: Set<String> = ["active", "iat", "exp", "jti"]

    public init(signer: HS256Signer, ttl: Duration, issuer: String?) {
        self.signer = signer
        self.ttl = ttl.seconds
        self.issuer = issuer
    }

    public func issue(for claims: TokenClaims, now: Double) -> SignedJWT {
        let expiresAt = min(claims.expiresAt ?? .infinity, now + ttl).rounded(.down)
        var members: [(key: String, value: JSONValue)] = []
        members.reserveCapacity(claims.members.count + 4)
        for (key, value) in claims.members where !Self.ownClaims.contains(key) && !(issuer != nil && key == "iss") {
            members.append((key, value))
        }
        members.sort { $0.key < $1.key }
        if let issuer { members.append(("iss", .string(issuer))) }
        members.append(("iat", .integer(Int64(now.rounded(.down)))))
        members.append(("exp", .integer(Int64(expiresAt))))
        members.append(("jti", .string(Self.makeJTI())))
        var writer = JSONWriter(capacity: 384)
        writer.writeObject(members)
        return SignedJWT(compact: signer.sign(payload: writer.bytes), expiresAt: expiresAt)
    }

    /// 128 random bits, hex.
    private static func makeJTI() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = withUnsafeBytes(of: (generator.next() as UInt64, generator.next() as UInt64)) { Array($0) }
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(32)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
