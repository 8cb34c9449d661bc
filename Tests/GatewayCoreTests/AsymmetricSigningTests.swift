import Crypto
import Foundation
import Testing
import _CryptoExtras

@testable import GatewayCore

@Suite struct AsymmetricSigningTests {
    static let now = 1_800_000_000.0

    static func segments(_ jws: String) -> [Substring] { jws.split(separator: ".", omittingEmptySubsequences: false) }

    static func json(_ segment: Substring) -> [String: Any] {
        SigningTests.decodeSegment(segment)
    }

    @Test(arguments: OpenSSLKeys.Kind.allCases)
    func eachKeyTypeSignsAJWTThatVerifiesWithItsPublicKeyAlone(_ kind: OpenSSLKeys.Kind) throws {
        let privatePEM = try OpenSSLKeys.privateKey(kind)
        let key = try SigningKey(pem: privatePEM)
        #expect(key.algorithm.rawValue == kind.algorithm)
        let published = try VerificationKey(pem: try OpenSSLKeys.publicKey(of: privatePEM))
        #expect(published.keyID == key.keyID, "the kid follows from the public key alone")

        let issuer = JWTIssuer(signer: AsymmetricSigner(key: key), ttl: .seconds(300), issuer: "gateway")
        let jwt = try issuer.issue(for: TokenClaims(["sub": .string("alice"), "scope": .string("read")]), now: Self.now)
        #expect(jwt.keyID == key.keyID)
        let parts = Self.segments(jwt.compact)
        #expect(parts.count == 3)
        #expect(Self.json(parts[0]) as NSDictionary == ["alg": kind.algorithm, "kid": key.keyID, "typ": "JWT"] as NSDictionary)
        let signature = try #require(Base64URL.decode(Array(parts[2].utf8)))
        switch key.algorithm {
        case .es256: #expect(signature.count == 64, "ES256 is raw r‖s, not DER")
        case .edDSA: #expect(signature.count == 64)
        case .rs256: #expect(signature.count == 256)
        case .hs256: Issue.record("not an asymmetric key")
        }

        let verifier = PassthroughVerifier(verifier: JWSVerifier(keys: [published]), issuer: "gateway", clockSkew: .seconds(30))
        #expect(verifier.verify(jwt.compact, now: Self.now)?.subject == "alice")
        #expect(verifier.verify(jwt.compact, now: Self.now + 301) == nil, "expired")
        let tampered = "\(parts[0]).\(Base64URL.encode(Array(#"{"sub":"mallory","exp":1900000000,"iss":"gateway"}"#.utf8))).\(parts[2])"
        #expect(verifier.verify(tampered, now: Self.now) == nil)
    }

    @Test func theKeyIDIsTheRFC7638Thumbprint() throws {
        // RFC 7638 §3.1.
        let n = Base64URL.decode(Array(("0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw").utf8))!
        let rsa = VerificationKey(.rs256(try _RSA.Signing.PublicKey(n: n, e: [0x01, 0x00, 0x01])))
        #expect(rsa.keyID == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs")
        // RFC 8037 Appendix A.3.
        let x = Base64URL.decode(Array("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo".utf8))!
        let ed25519 = VerificationKey(.edDSA(try Curve25519.Signing.PublicKey(rawRepresentation: x)))
        #expect(ed25519.keyID == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    @Test func theJWKSPublishesEveryPublicKeyAndNoSecret() throws {
        let current = try SigningKey(pem: try OpenSSLKeys.privateKey(.es256PKCS8))
        let previous = try SigningKey(pem: try OpenSSLKeys.privateKey(.rs256PKCS8)).publicKey
        let signing = GatewayConfiguration.Signing(headerName: "X-JWT", keys: SigningKeys(current: current, previous: [previous, current.publicKey]))
        let state = SigningState(signing: signing, allowsPassthrough: false, clockSkew: .seconds(30))
        let jwks = try #require(try JSONSerialization.jsonObject(with: Data(state.jwks)) as? [String: [[String: String]]])
        let keys = try #require(jwks["keys"])
        #expect(keys.map { $0["kid"] } == [current.keyID, previous.keyID], "the signing key first, no duplicates")
        #expect(Set(keys[0].keys) == ["kty", "crv", "x", "y", "kid", "use", "alg"])
        #expect(keys[0]["kty"] == "EC" && keys[0]["crv"] == "P-256" && keys[0]["alg"] == "ES256" && keys[0]["use"] == "sig")
        #expect(Set(keys[1].keys) == ["kty", "n", "e", "kid", "use", "alg"])
        #expect(keys[1]["e"] == "AQAB" && keys[1]["n"]?.hasPrefix("A") == false, "n without a leading zero octet")
        #expect(!String(decoding: state.jwks, as: UTF8.self).contains("\"d\""), "no private member")

        let hs256 = SigningState(
            signing: .init(headerName: "X-JWT", secret: Secret(String(repeating: "s", count: 32))), allowsPassthrough: true, clockSkew: .seconds(30))
        #expect(String(decoding: hs256.jwks, as: UTF8.self) == #"{"keys":[]}"#)
    }

    @Test func aTokenCannotChooseItsAlgorithmOrKey() throws {
        let ecPEM = try OpenSSLKeys.privateKey(.es256PKCS8)
        let ec = try SigningKey(pem: ecPEM)
        let rsa = try SigningKey(pem: try OpenSSLKeys.privateKey(.rs256PKCS8))
        let verifier = JWSVerifier(keys: [ec.publicKey, rsa.publicKey])
        let payload = Base64URL.encode(Array(#"{"sub":"mallory","exp":1900000000}"#.utf8))
        func header(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }
        func signed(_ header: String, with key: SigningKey) throws -> String {
            let input = "\(header).\(payload)"
            return "\(input).\(Base64URL.encode(try key.signature(for: Array(input.utf8))))"
        }

        let genuine = try signed(header(#"{"alg":"ES256","kid":"\#(ec.keyID)"}"#), with: ec)
        #expect(verifier.verifiedPayload(of: genuine) != nil)

        // HS256 "signed" with the public key as the secret: the classic confusion.
        let publicPEM = try OpenSSLKeys.publicKey(of: ecPEM)
        for kid in [nil, ec.keyID] {
            let hsHeader = header(kid.map { #"{"alg":"HS256","kid":"\#($0)"}"# } ?? #"{"alg":"HS256"}"#)
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(hsHeader).\(payload)".utf8), using: SymmetricKey(data: Data(publicPEM.utf8)))
            #expect(verifier.verifiedPayload(of: "\(hsHeader).\(payload).\(Base64URL.encode(Array(mac)))") == nil, "HS256 with kid \(kid ?? "none")")
        }
        #expect(verifier.verifiedPayload(of: "\(header(#"{"alg":"none","kid":"\#(ec.keyID)"}"#)).\(payload).") == nil, "alg none")
        #expect(verifier.verifiedPayload(of: try signed(header(#"{"alg":"RS256","kid":"\#(ec.keyID)"}"#), with: ec)) == nil, "alg of another key type")
        #expect(verifier.verifiedPayload(of: try signed(header(#"{"alg":"ES256","kid":"\#(rsa.keyID)"}"#), with: ec)) == nil, "kid of another key")
        #expect(verifier.verifiedPayload(of: try signed(header(#"{"alg":"RS256","kid":"\#(ec.keyID)"}"#), with: rsa)) == nil, "RSA signature, EC kid")
        #expect(verifier.verifiedPayload(of: try signed(header(#"{"alg":"ES256"}"#), with: ec)) == nil, "no kid")
        #expect(verifier.verifiedPayload(of: try signed(header(#"{"alg":"ES256","kid":"unknown"}"#), with: ec)) == nil, "unknown kid")
        #expect(verifier.verifiedPayload(of: try signed(header(#"{"alg":"ES256","kid":"\#(ec.keyID)","crit":["x"]}"#), with: ec)) == nil, "crit")

        // A DER-encoded ECDSA signature is not a JWS signature.
        guard case .es256(let p256) = ec.backing else { return }
        let input = "\(header(#"{"alg":"ES256","kid":"\#(ec.keyID)"}"#)).\(payload)"
        let der = try p256.signature(for: Data(input.utf8)).derRepresentation
        #expect(verifier.verifiedPayload(of: "\(input).\(Base64URL.encode(der))") == nil, "DER, not r‖s")
        #expect(verifier.verifiedPayload(of: genuine + ".") == nil, "four segments")
    }

    @Test func keyFilesThatCannotBeUsedSayWhy() throws {
        func problem(_ pem: String) -> String {
            do throws(KeyProblem) {
                _ = try SigningKey(pem: pem)
                return "accepted"
            } catch {
                return error.description
            }
        }
        let ed = try OpenSSLKeys.privateKey(.edDSA)
        #expect(problem(try OpenSSLKeys.run(["genpkey", "-algorithm", "ED25519", "-aes256", "-pass", "pass:secret"])).hasPrefix("is encrypted"))
        #expect(problem(try OpenSSLKeys.publicKey(of: ed)).hasPrefix("holds a public key"))
        #expect(problem(try OpenSSLKeys.run(["genpkey", "-algorithm", "X25519"])).hasPrefix("is an X25519"))
        #expect(problem(try OpenSSLKeys.run(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"])).hasPrefix("is an EC key on another curve"))
        #expect(problem(try OpenSSLKeys.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"])) == "is a 1024-bit RSA key; RS256 needs at least 2048 bits")
        #expect(problem(ed + ed).hasPrefix("holds 2 private keys"))
        #expect(problem("not a key").hasPrefix("holds no PEM private key"))
        #expect(problem("-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n").hasPrefix("is in OpenSSH format"))

        func publicProblem(_ pem: String) -> String {
            do throws(KeyProblem) {
                _ = try VerificationKey(pem: pem)
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(publicProblem(ed).hasPrefix("holds a private key; give only its public key"))
        let smallRSA = try OpenSSLKeys.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"])
        #expect(publicProblem(try OpenSSLKeys.publicKey(of: smallRSA)) == "is a 1024-bit RSA key; RS256 needs at least 2048 bits")
    }

    @Test func theKeyNeverAppearsInItsDescription() throws {
        let pem = try OpenSSLKeys.privateKey(.edDSA)
        let key = try SigningKey(pem: pem)
        let body = pem.split(separator: "\n")[1]
        for text in ["\(key)", String(reflecting: key), "\(Mirror(reflecting: key).children.map { "\($0.value)" })"] {
            #expect(!text.contains(body) && text.contains(key.keyID), "\(text)")
        }
    }

    @Test func jwtClaimsAndAudienceShapeThePayload() throws {
        let key = try SigningKey(pem: try OpenSSLKeys.privateKey(.edDSA))
        let issuer = JWTIssuer(signer: AsymmetricSigner(key: key), ttl: .seconds(60), issuer: "gateway", audience: "orders-api", claims: ["sub", "scope", "aud", "iat"])
        let claims = TokenClaims([
            "sub": .string("alice"), "scope": .string("read"), "email": .string("a@example.com"), "aud": .string("idp-audience"),
            "iss": .string("idp"), "iat": .integer(1), "groups": .array([.string("a")]),
        ])
        let payload = Self.json(Self.segments(try issuer.issue(for: claims, now: Self.now).compact)[1])
        #expect(Set(payload.keys) == ["sub", "scope", "iss", "aud", "iat", "exp", "jti"])
        #expect(payload["aud"] as? String == "orders-api", "JWT_AUDIENCE wins over the provider's aud")
        #expect(payload["iss"] as? String == "gateway" && payload["iat"] as? Int == Int(Self.now))
    }
}
