import DevIdentityProvider
import Foundation
import GatewayCore
import NIOHTTP1
import Testing

@testable import GatewayHTTP

/// Asymmetric JWTs that an upstream verifies from `/.well-known/jwks.json` alone (with PyJWT),
/// across a key rotation.
@Suite struct JWKSEndpointTests {
    /// A stack signing with a fresh `algorithm` key from `jwt.pem`, previous keys in `previous/`.
    static func run(
        _ algorithm: String, _ variables: [String: String] = [:], _ body: (LiveStack, GatewayFiles) async throws -> Void
    ) async throws {
        let files = try GatewayFiles()
        try files.makeKey(algorithm, name: "jwt.pem")
        try FileManager.default.createDirectory(atPath: files.path("previous"), withIntermediateDirectories: true)
        let signing = [
            "JWT_SECRET": "", "JWT_PRIVATE_KEY_FILE": files.path("jwt.pem"), "JWT_PREVIOUS_PUBLIC_KEY_FILE": files.path("previous"),
            "JWT_ISSUER": "https://gateway.example.com",
        ]
        try await LiveStack.run(signing.merging(variables) { _, new in new }) { stack in
            try await body(stack, files)
        }
    }

    static func jwks(_ stack: LiveStack) async throws -> String {
        let answer = try await stack.request(.GET, "/.well-known/jwks.json")
        #expect(answer.status == 200)
        #expect(answer.headers.first(name: "Content-Type") == "application/json")
        return answer.body
    }

    static func kids(_ jwks: String) throws -> [String] {
        let document = try JSONSerialization.jsonObject(with: Data(jwks.utf8)) as? [String: [[String: Any]]]
        return document?["keys"]?.compactMap { $0["kid"] as? String } ?? []
    }

    @Test(arguments: ["ES256", "RS256", "EdDSA"])
    func anUpstreamVerifiesOurJWTWithTheJWKSAlone(_ algorithm: String) async throws {
        try await Self.run(algorithm) { stack, _ in
            let token = stack.provider.issueToken(clientID: "orders-app", scope: "orders:read", subject: "alice")
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 200)
            let jwt = try #require(answer.headers.first(name: "X-JWT"))
            let jwks = try await Self.jwks(stack)
            let claims = try PyJWT.decode(jwt, jwks: jwks)
            #expect(claims["sub"] as? String == "alice")
            #expect(claims["scope"] as? String == "orders:read")
            #expect(claims["iss"] as? String == "https://gateway.example.com")
            #expect(try Self.kids(jwks).count == 1)
            #expect(throws: PyJWT.Failure.self, "an HS256 verifier with the old secret must fail") {
                try PyJWT.decode(jwt, secret: LiveStack.jwtSecret)
            }
        }
    }

    @Test func anHS256GatewayPublishesNoKeys() async throws {
        try await LiveStack.run { (stack: LiveStack) async throws in
            let jwks = try await Self.jwks(stack)
            #expect(jwks == #"{"keys":[]}"#)
            let head = try await stack.request(.HEAD, "/.well-known/jwks.json")
            #expect(head.status == 200)
        }
    }

    @Test func aRotationKeepsEarlierJWTsVerifiable() async throws {
        try await Self.run("ES256", ["ALLOW_JWT_PASSTHROUGH": "true"]) { stack, files in
            let token = stack.provider.issueToken(clientID: "app", subject: "bob")
            let oldJWT = try #require(try await stack.auth(bearer: token).headers.first(name: "X-JWT"))
            let oldKids = try Self.kids(try await Self.jwks(stack))

            // The planned rotation: the old public key joins previous/, a new key signs.
            try files.write("previous/2026-01.pem", try files.read("jwt.pem.pub"))
            try files.makeKey("EdDSA", name: "next.pem")
            try files.write("jwt.pem", try files.read("next.pem"))
            guard case .reloaded(_) = stack.reloader.reload() else {
                Issue.record("the rotation must be taken")
                return
            }
            let jwks = try await Self.jwks(stack)
            #expect(try Self.kids(jwks).count == 2 && Self.kids(jwks).last == oldKids.first, "the new key first, the old one kept")
            #expect(try PyJWT.decode(oldJWT, jwks: jwks)["sub"] as? String == "bob", "a JWT issued before the rotation still verifies")

            let other = stack.provider.issueToken(clientID: "app", subject: "carol")
            let newJWT = try #require(try await stack.auth(bearer: other).headers.first(name: "X-JWT"))
            #expect(try PyJWT.decode(newJWT, jwks: jwks)["sub"] as? String == "carol")
            let cachedAgain = try #require(try await stack.auth(bearer: token).headers.first(name: "X-JWT"))
            #expect(cachedAgain != oldJWT, "a cached JWT of the replaced key is signed anew")
            #expect(try PyJWT.decode(cachedAgain, jwks: jwks)["sub"] as? String == "bob")

            let before = stack.provider.introspectionCount
            let passed = try await stack.request(.GET, "/auth", headers: [("X-JWT", oldJWT)])
            #expect(passed.status == 200 && passed.headers.first(name: "X-Auth-Subject") == "bob", "passthrough accepts the previous key")
            #expect(stack.provider.introspectionCount == before)
        }
    }

    @Test func claimSelectionAudienceAndClaimHeaders() async throws {
        let variables = [
            "JWT_AUDIENCE": "orders-api", "JWT_CLAIMS": "sub,scope", "CLAIM_HEADERS": "sub:X-User,email:X-Email,groups:X-Groups,bad:X-Bad",
        ]
        try await Self.run("EdDSA", variables) { stack, _ in
            let later = Int(Date().timeIntervalSince1970) + 600
            stack.provider.register(token: "rich-token-0001", introspectionAnswer: """
                {"active":true,"sub":"dora","scope":"read","email":"dora@example.com","groups":["ops","dev"],"exp":\(later),
                 "bad":"x\\r\\nSet-Cookie: y","aud":"idp"}
                """)
            let answer = try await stack.auth(bearer: "rich-token-0001")
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "X-User") == "dora")
            #expect(answer.headers.first(name: "X-Email") == "dora@example.com")
            #expect(answer.headers.first(name: "X-Groups") == "ops dev")
            #expect(answer.headers.first(name: "X-Bad") == nil && answer.headers.first(name: "Set-Cookie") == nil)
            let jwt = try #require(answer.headers.first(name: "X-JWT"))
            let claims = try PyJWT.decode(jwt, jwks: try await Self.jwks(stack), audience: "orders-api")
            #expect(Set(claims.keys) == ["sub", "scope", "iss", "aud", "iat", "exp", "jti"], "only the chosen claims and ours")
            #expect(claims["aud"] as? String == "orders-api")
        }
    }
}
