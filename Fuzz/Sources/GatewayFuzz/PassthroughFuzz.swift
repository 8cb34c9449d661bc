import Crypto
import Foundation
import GatewayCore

/// JWTs that clients present in `JWT_HEADER_NAME` (`ALLOW_JWT_PASSTHROUGH`). The corpus holds
/// JWTs signed with the key below, so mutations explore the neighbourhood of valid ones.
///
/// Properties: a JWT that verifies is, by an independent check (Foundation's base64, HMAC from
/// swift-crypto computed here), three canonical base64url segments, a header with `alg` HS256
/// and no `crit`, our HMAC over the first two, and an object payload with `exp` in the future
/// and the configured `iss`; its claims are that payload; it never verifies with another key.
enum PassthroughFuzz {
    static let key = "fuzz-signing-key-of-at-least-32-bytes!"
    static let now = 1_750_000_000.0
    static let verifier = PassthroughVerifier(signer: HS256Signer(secret: Secret(key)), issuer: nil, clockSkew: .seconds(30))
    static let issuerVerifier = PassthroughVerifier(signer: HS256Signer(secret: Secret(key)), issuer: "fuzz-issuer", clockSkew: .seconds(30))
    static let otherKeyVerifier = PassthroughVerifier(signer: HS256Signer(secret: Secret(key + "-other")), issuer: nil, clockSkew: .seconds(30))

    static func run(_ bytes: [UInt8]) {
        let jwt = text(bytes)
        let claims = verifier.verify(jwt, now: now)
        require(verifier.verify(jwt, now: now) == claims, "verification is not deterministic")
        require(otherKeyVerifier.verify(jwt, now: now) == nil, "a JWT verified with another key")
        let withIssuer = issuerVerifier.verify(jwt, now: now)
        if let withIssuer {
            require(withIssuer == claims, "JWT_ISSUER changed the claims")
            require(withIssuer["iss"] == .string("fuzz-issuer"), "verified with JWT_ISSUER set but another iss")
        }
        guard let claims else { return }
        guard let payload = independentlyVerifiedPayload(jwt) else {
            require(false, "verified, but it is not an HS256 JWT with our signature: \(jwt.debugDescription)")
            return
        }
        guard case .object(let members)? = try? JSONValueParser.parse(payload) else {
            require(false, "verified with a payload that is not a JSON object")
            return
        }
        require(TokenClaims(members) == claims, "the claims are not the payload")
        require((members["exp"]?.numericValue ?? -.infinity) > now, "verified without an exp in the future")
        if let notBefore = members["nbf"] { require((notBefore.numericValue ?? .infinity) <= now + 30, "verified before its nbf") }
    }

    /// The payload when `jwt` is `b64(header).b64(payload).b64(HMAC-SHA256(key, first two))`,
    /// each segment canonical unpadded base64url, the header an object with alg HS256 and no crit.
    static func independentlyVerifiedPayload(_ jwt: String) -> [UInt8]? {
        let segments = jwt.split(separator: ".", omittingEmptySubsequences: false)
        guard segments.count == 3, let header = decode(segments[0]), let payload = decode(segments[1]), let signature = decode(segments[2])
        else { return nil }
        guard let object = try? JSONSerialization.jsonObject(with: Data(header)) as? [String: Any],
              object["alg"] as? String == "HS256", object["crit"] == nil
        else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Array(jwt.utf8.prefix(segments[0].utf8.count + 1 + segments[1].utf8.count)), using: SymmetricKey(data: Array(key.utf8)))
        guard Array(mac) == signature else { return nil }
        return payload
    }

    /// Unpadded base64url through Foundation; nil unless re-encoding gives the same text.
    static func decode(_ segment: Substring) -> [UInt8]? {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !segment.contains("="), !segment.contains("+"), !segment.contains("/") else { return nil }
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64) else { return nil }
        let canonical = data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return canonical == segment ? Array(data) : nil
    }
}
