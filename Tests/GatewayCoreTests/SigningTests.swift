import Crypto
import Foundation
import Testing

@testable import GatewayCore

@Suite struct SigningTests {
    let secret = Secret(String(repeating: "0123456789abcdef", count: 3))

    /// Splits and decodes a compact JWS independently of the code under test (Foundation's base64).
    static func decodeSegment(_ segment: Substring) -> [String: Any] {
        var text = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        let data = Data(base64Encoded: text)!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    @Test func base64URLRoundTripsEveryLength() {
        for length in 0..<70 {
            let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            let encoded = Base64URL.encode(bytes)
            #expect(!encoded.contains("=") && !encoded.contains("+") && !encoded.contains("/"))
            #expect(Base64URL.decode(Array(encoded.utf8)) == bytes)
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded == foundation)
        }
        #expect(Base64URL.decode(Array("a".utf8)) == nil)
        #expect(Base64URL.decode(Array("ab==".utf8)) == nil)
        #expect(Base64URL.decode(Array("aB".utf8)) == nil, "non-zero leftover bits give a second encoding")
    }

    @Test func hs256SignatureIsTheStandardOne() throws {
        let signer = HS256Signer(secret: secret)
        let jws = signer.sign(payload: Array(#"{"sub":"alice"}"#.utf8))
        let parts = jws.split(separator: ".")
        #expect(parts.count == 3)
        #expect(Self.decodeSegment(parts[0]) as NSDictionary == ["alg": "HS256", "typ": "JWT"] as NSDictionary)
        let expected = HMAC<SHA256>.authenticationCode(
            for: Data("\(parts[0]).\(parts[1])".utf8), using: SymmetricKey(data: Data(secret.reveal().utf8)))
        #expect(String(parts[2]) == Base64URL.encode(Array(expected)))
        #expect(signer.verifiedPayload(of: jws) == Array(#"{"sub":"alice"}"#.utf8))
    }

    @Test func jwtCarriesTheClaimsAndOurOwnTimes() throws {
        let issuer = JWTIssuer(signer: HS256Signer(secret: secret), ttl: .seconds(300), issuer: "gateway")
        let claims = TokenClaims([
            "active": .bool(true), "sub": .string("alice"), "scope": .string("read write"), "iss": .string("idp"),
            "aud": .array([.string("a"), .string("b")]), "exp": .number(1_800_003_600.5), "iat": .integer(1),
            "jti": .string("theirs"), "name": .string("A \"quoted\" name\n"),
        ])
        let jwt = try issuer.issue(for: claims, now: 1_800_000_000.7)
        let payload = Self.decodeSegment(jwt.compact.split(separator: ".")[1])
        #expect(payload["active"] == nil)
        #expect(payload["sub"] as? String == "alice")
        #expect(payload["scope"] as? String == "read write")
        #expect(payload["aud"] as? [String] == ["a", "b"])
        #expect(payload["name"] as? String == "A \"quoted\" name\n")
        #expect(payload["iss"] as? String == "gateway")
        #expect(payload["iat"] as? Int == 1_800_000_000)
        #expect(payload["exp"] as? Int == 1_800_000_300, "now + JWT_TTL is earlier than the token's exp")
        #expect((payload["jti"] as? String)?.count == 32)
        #expect(jwt.expiresAt == 1_800_000_300)
    }

    @Test func jwtNeverOutlivesTheToken() throws {
        let issuer = JWTIssuer(signer: HS256Signer(secret: secret), ttl: .seconds(300), issuer: nil)
        let jwt = try issuer.issue(for: TokenClaims(["exp": .integer(1_800_000_060), "iss": .string("idp")]), now: 1_800_000_000)
        let payload = Self.decodeSegment(jwt.compact.split(separator: ".")[1])
        #expect(payload["exp"] as? Int == 1_800_000_060)
        #expect(payload["iss"] as? String == "idp", "without JWT_ISSUER the provider's iss stays")
        #expect(jwt.expiresAt == 1_800_000_060)
    }

    @Test func eachJWTHasItsOwnID() throws {
        let issuer = JWTIssuer(signer: HS256Signer(secret: secret), ttl: .seconds(60), issuer: nil)
        let first = try issuer.issue(for: TokenClaims([:]), now: 1_800_000_000)
        let second = try issuer.issue(for: TokenClaims([:]), now: 1_800_000_000)
        #expect(first.compact != second.compact)
    }

    @Test func passthroughAcceptsOnlyOurValidJWTs() throws {
        let signer = HS256Signer(secret: secret)
        let verifier = PassthroughVerifier(signer: signer, issuer: "gateway", clockSkew: .seconds(30))
        let now = 1_800_000_000.0
        let ours = try JWTIssuer(signer: signer, ttl: .seconds(300), issuer: "gateway").issue(for: TokenClaims(["sub": .string("alice")]), now: now)
        #expect(verifier.verify(ours.compact, now: now)?.subject == "alice")
        #expect(verifier.verify(ours.compact, now: now + 301) == nil, "expired")

        let otherKey = HS256Signer(secret: Secret(String(repeating: "x", count: 40)))
        let foreign = try JWTIssuer(signer: otherKey, ttl: .seconds(300), issuer: "gateway").issue(for: TokenClaims([:]), now: now)
        #expect(verifier.verify(foreign.compact, now: now) == nil, "signed with another key")

        let otherIssuer = try JWTIssuer(signer: signer, ttl: .seconds(300), issuer: "someone-else").issue(for: TokenClaims([:]), now: now)
        #expect(verifier.verify(otherIssuer.compact, now: now) == nil, "wrong iss")

        let parts = ours.compact.split(separator: ".")
        let unsignedHeader = Base64URL.encode(Array(#"{"alg":"none","typ":"JWT"}"#.utf8))
        #expect(verifier.verify("\(unsignedHeader).\(parts[1]).", now: now) == nil, "alg none")
        #expect(verifier.verify("\(unsignedHeader).\(parts[1]).\(parts[2])", now: now) == nil, "header swapped")
        let tampered = Base64URL.encode(Array(#"{"sub":"mallory","exp":1900000000,"iss":"gateway"}"#.utf8))
        #expect(verifier.verify("\(parts[0]).\(tampered).\(parts[2])", now: now) == nil, "payload changed")
        #expect(verifier.verify("garbage", now: now) == nil)
        let noExpiry = signer.sign(payload: Array(#"{"sub":"alice","iss":"gateway"}"#.utf8))
        #expect(verifier.verify(noExpiry, now: now) == nil, "a passthrough JWT must expire")
    }

    @Test func jsonWriterOutputIsValidJSON() throws {
        var writer = JSONWriter()
        writer.writeObject([
            ("s", .string("quote\" backslash\\ newline\n tab\t control\u{01} unicode é 🎉")),
            ("n", .number(1.5)), ("i", .integer(-42)), ("whole", .number(3.0)), ("b", .bool(false)), ("z", .null),
            ("o", .object(["k": .array([.integer(1), .string("x")])])),
        ])
        let decoded = try JSONSerialization.jsonObject(with: Data(writer.bytes)) as! [String: Any]
        #expect(decoded["s"] as? String == "quote\" backslash\\ newline\n tab\t control\u{01} unicode é 🎉")
        #expect(decoded["n"] as? Double == 1.5)
        #expect(decoded["i"] as? Int == -42)
        #expect(String(decoding: writer.bytes, as: UTF8.self).contains(#""whole":3,"#))
        #expect(decoded["z"] is NSNull)
        #expect(((decoded["o"] as? [String: Any])?["k"] as? [Any])?.count == 2)
    }
}
