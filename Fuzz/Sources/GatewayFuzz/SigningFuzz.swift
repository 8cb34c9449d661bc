import Crypto
import GatewayCore

/// Our own JWTs: what the gateway signs must verify to exactly what it signed, and nothing
/// else may. Claims come from the input (a JSON object, else strings cut from it). HS256
/// (`JWT_SECRET`) and ES256 (`JWT_PRIVATE_KEY`, a P-256 key made at start).
///
/// Properties: `verifiedPayload(sign(payload)) == payload` for any bytes; base64url decodes
/// what it encodes, and only canonical text; a JWT issued for claims verifies (passthrough) to
/// those claims plus `iat`, `exp` and `jti`; changing any byte of it, cutting it short or
/// appending to it makes it fail; so do another `JWT_ISSUER`, another key, the other algorithm,
/// and an HS256 JWT that names the ES256 key's `kid` (algorithm confusion).
enum SigningFuzz {
    static let key = "fuzz-signing-key-of-at-least-32-bytes!"
    static let now = 1_750_000_000.0
    static let hs256 = HS256Signer(secret: Secret(key))
    static let es256Key: SigningKey = {
        do {
            return try SigningKey(pem: P256.Signing.PrivateKey().pemRepresentation)
        } catch {
            fatalError("a fresh P-256 key does not load: \(error)")
        }
    }()

    struct Scheme: Sendable {
        let name: String
        let issuer: JWTIssuer
        let verifier: PassthroughVerifier
        /// Verifiers that must refuse every JWT of this scheme.
        let strangers: [PassthroughVerifier]
        /// How many byte positions to change (asymmetric verification costs far more than HMAC).
        let maximumChanges: Int
    }

    static let schemes: [Scheme] = {
        let es256 = JWSVerifier(keys: [es256Key.publicKey])
        let hsVerifier = PassthroughVerifier(signer: hs256, issuer: "fuzz-issuer", clockSkew: .seconds(30))
        let esVerifier = PassthroughVerifier(verifier: es256, issuer: "fuzz-issuer", clockSkew: .seconds(30))
        let otherKey = PassthroughVerifier(signer: HS256Signer(secret: Secret(key + "!")), issuer: "fuzz-issuer", clockSkew: .seconds(30))
        let otherIssuer = PassthroughVerifier(signer: hs256, issuer: "another-issuer", clockSkew: .seconds(30))
        let otherESIssuer = PassthroughVerifier(verifier: es256, issuer: "another-issuer", clockSkew: .seconds(30))
        return [
            Scheme(name: "HS256", issuer: JWTIssuer(signer: hs256, ttl: .seconds(300), issuer: "fuzz-issuer"), verifier: hsVerifier,
                   strangers: [otherKey, otherIssuer, esVerifier], maximumChanges: 64),
            Scheme(name: "ES256", issuer: JWTIssuer(signer: AsymmetricSigner(key: es256Key), ttl: .seconds(300), issuer: "fuzz-issuer"),
                   verifier: esVerifier, strangers: [hsVerifier, otherESIssuer], maximumChanges: 6),
        ]
    }()

    static func run(_ bytes: [UInt8]) {
        // Any payload bytes survive signing and verification unchanged.
        let raw = hs256.sign(payload: bytes)
        require(hs256.verifiedPayload(of: raw) == bytes, "verifiedPayload(sign(bytes)) != bytes")
        let encoded = Base64URL.encode(bytes)
        require(Base64URL.decode(Array(encoded.utf8)) == bytes, "base64url does not decode what it encodes")
        if let decoded = Base64URL.decode(bytes) {
            require(Array(Base64URL.encode(decoded).utf8) == bytes, "base64url accepted a non-canonical text: \(text(bytes).debugDescription)")
        }

        let claims = TokenClaims(claimsMembers(bytes))
        // An ES256 signature and its verifications cost ~100 times an HMAC's: every eighth input.
        for scheme in schemes where scheme.name == "HS256" || bytes.count % 8 == 0 {
            roundTrip(claims, scheme, bytes)
        }

        // Algorithm confusion: HS256 "signed" with public data, naming the ES256 key.
        let header = #"{"alg":"HS256","kid":"\#(es256Key.keyID)","typ":"JWT"}"#
        let unsigned = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"mallory","exp":1760000000}"#.utf8))
        for secret in [es256Key.keyID, key] {
            let mac = HMAC<SHA256>.authenticationCode(for: Array(unsigned.utf8), using: SymmetricKey(data: Array(secret.utf8)))
            let forged = unsigned + "." + Base64URL.encode(Array(mac))
            require(schemes[1].verifier.verify(forged, now: now) == nil, "an HS256 JWT naming the ES256 key verifies")
        }
    }

    static func roundTrip(_ claims: TokenClaims, _ scheme: Scheme, _ bytes: [UInt8]) {
        let verifier = scheme.verifier
        guard let jwt = try? scheme.issuer.issue(for: claims, now: now) else {
            require(false, "\(scheme.name) signing failed")
            return
        }
        guard let verified = verifier.verify(jwt.compact, now: now) else {
            let notYetValid = claims["nbf"].map { ($0.numericValue ?? .infinity) > now + 30 } ?? false
            require(jwt.expiresAt <= now || notYetValid || jwt.compact.utf8.count > AuthorizationHeader.maximumTokenLength,
                    "a JWT we issued (\(scheme.name)) does not verify: \(jwt.compact)")
            return
        }
        var expected = claims.members.filter { !["iat", "exp", "jti", "iss"].contains($0.key) }
        expected["iss"] = .string("fuzz-issuer")
        let signedOwn = verified.members.filter { ["iat", "exp", "jti"].contains($0.key) }
        require(signedOwn.count == 3 && verified["iat"]?.numericValue == now && verified.expiresAt == jwt.expiresAt,
                "iat, exp or jti missing or wrong in \(verified.members)")
        require(IntrospectionFuzz.sameJSON(.object(verified.members.filter { !signedOwn.keys.contains($0.key) }), .object(expected)),
                "verify(sign(claims)) != claims (\(scheme.name)): \(expected) became \(verified.members)")
        for stranger in scheme.strangers {
            require(stranger.verify(jwt.compact, now: now) == nil, "a \(scheme.name) JWT verified with another key, algorithm or JWT_ISSUER")
        }
        require(verifier.verify(jwt.compact, now: jwt.expiresAt) == nil, "a JWT verified at its exp")

        // Changed bytes: the first and last of each segment, both dots, and positions the input picks.
        let token = Array(jwt.compact.utf8)
        let dots = token.indices.filter { token[$0] == UInt8(ascii: ".") }
        var positions = [0, token.count - 1] + dots + dots.map { $0 - 1 } + dots.map { $0 + 1 }
        for (index, byte) in bytes.suffix(8).enumerated() { positions.append((Int(byte) << 8 | index * 37) % token.count) }
        let changes: [UInt8] = [1, 0x20, bytes.last.map { $0 == 0 ? 0x80 : $0 } ?? 0x40]
        var tried = 0
        for position in Set(positions).sorted() {
            for change in changes where tried < scheme.maximumChanges {
                var mutated = token
                mutated[position] ^= change
                tried += 1
                require(verifier.verify(text(mutated), now: now) == nil, "a \(scheme.name) JWT with byte \(position) changed (^\(change)) still verifies")
            }
        }
        for cut in [token.count - 1, dots[1] + 1, dots[1], dots[0]] {
            require(verifier.verify(text(token.prefix(cut)), now: now) == nil, "a \(scheme.name) JWT cut to \(cut) bytes still verifies")
        }
        for suffix in ["A", "=", ".", " ", "\n", ".e30"] {
            require(verifier.verify(jwt.compact + suffix, now: now) == nil, "a \(scheme.name) JWT with \(suffix.debugDescription) appended still verifies")
        }
    }

    /// A JSON object from the input, or claims made of pieces of it.
    static func claimsMembers(_ bytes: [UInt8]) -> [String: JSONValue] {
        if case .object(let members)? = try? JSONValueParser.parse(bytes) { return members }
        let pieces = parts(bytes, 4)
        return [
            "sub": .string(text(pieces[0])), "scope": .string(text(pieces[1])), "client_id": .string(text(pieces[2])),
            "aud": .array(pieces[3].split(separator: UInt8(ascii: ",")).map { .string(text($0)) }),
            "n": .integer(Int64(bytes.count)), "exp": .number(now + Double(bytes.first ?? 0) * 7.5),
        ]
    }
}
