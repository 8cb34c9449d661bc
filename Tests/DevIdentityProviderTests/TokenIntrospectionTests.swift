import AsyncHTTPClient
import DevIdentityProvider
import NIOCore
import NIOHTTP1
import Testing

@Suite("Tokens, introspection and revocation over HTTP")
struct TokenIntrospectionTests {
    let clock = TestClock()

    @Test func tokenEndpointIssuesATokenThatIntrospectsWithItsClaims() async throws {
        let provider = DevIdentityProvider(issuer: "http://idp.test", now: clock.source)
        try await RunningProvider.run(provider) { server in
            let issued = try await server.postForm(
                "/token", [("grant_type", "client_credentials"), ("scope", "read write")], basic: ("demo-client", "demo-secret"))
            #expect(issued.status == 200)
            #expect(issued.header("Content-Type") == "application/json")
            #expect(issued.header("Cache-Control") == "no-store")
            #expect(issued["token_type"] == .string("Bearer"))
            #expect(issued["expires_in"] == .int(3600))
            #expect(issued["scope"] == .string("read write"))
            let token = try #require(issued["access_token"]?.string)
            // 32 random bytes in unpadded base64url.
            #expect(token.count == 43)
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })

            let answer = try await server.introspect(token)
            #expect(answer.status == 200)
            #expect(answer.header("Content-Type") == "application/json")
            #expect(
                answer.json
                    == .object([
                        "active": .bool(true),
                        "scope": .string("read write"),
                        "client_id": .string("demo-client"),
                        "sub": .string("demo-client"),
                        "token_type": .string("Bearer"),
                        "iat": .int(1_700_000_000),
                        "exp": .int(1_700_003_600),
                        "iss": .string("http://idp.test"),
                    ]))
        }
    }

    @Test func tokensAreUniqueAndTheLifetimeFieldIsHonoured() async throws {
        let provider = DevIdentityProvider(now: clock.source)
        try await RunningProvider.run(provider) { server in
            let first = try await server.postForm(
                "/token", [("grant_type", "client_credentials"), ("lifetime", "60")], basic: ("demo-client", "demo-secret"))
            let second = try await server.postForm("/token", [("grant_type", "client_credentials")], basic: ("demo-client", "demo-secret"))
            #expect(first["expires_in"] == .int(60))
            #expect(first["scope"] == nil)
            #expect(first["access_token"] != second["access_token"])
            let token = try #require(first["access_token"]?.string)
            #expect(try await server.introspect(token)["exp"] == .int(1_700_000_060))

            let negative = try await server.postForm(
                "/token", [("grant_type", "client_credentials"), ("lifetime", "-5")], basic: ("demo-client", "demo-secret"))
            #expect(negative.status == 400)
            #expect(negative["error"] == .string("invalid_request"))
        }
    }

    @Test func tokenEndpointRefusesOtherGrantsAndBadClients() async throws {
        try await RunningProvider.run(DevIdentityProvider()) { server in
            let password = try await server.postForm(
                "/token", [("grant_type", "password"), ("username", "a")], basic: ("demo-client", "demo-secret"))
            #expect(password.status == 400)
            #expect(password["error"] == .string("unsupported_grant_type"))

            let noGrant = try await server.postForm("/token", [("scope", "read")], basic: ("demo-client", "demo-secret"))
            #expect(noGrant.status == 400)
            #expect(noGrant["error"] == .string("invalid_request"))

            let wrongSecret = try await server.postForm("/token", [("grant_type", "client_credentials")], basic: ("demo-client", "nope"))
            #expect(wrongSecret.status == 401)
            #expect(wrongSecret["error"] == .string("invalid_client"))
            #expect(wrongSecret.header("WWW-Authenticate") == #"Basic realm="dev-idp""#)
        }
    }

    @Test func issueTokenWritesSubjectScopeLifetimeAndExtraClaimsAsGiven() async throws {
        let provider = DevIdentityProvider(issuer: "https://issuer.example", now: clock.source)
        let token = provider.issueToken(
            clientID: "svc",
            scope: "admin",
            subject: "alice",
            lifetime: .seconds(120),
            extraClaims: ["aud": ["api", "web"], "auth_time": 1_699_999_000.5, "iss": "overridden", "nothing": nil]
        )
        try await RunningProvider.run(provider) { server in
            let answer = try await server.introspect(token)
            #expect(
                answer.json
                    == .object([
                        "active": .bool(true),
                        "scope": .string("admin"),
                        "client_id": .string("svc"),
                        "sub": .string("alice"),
                        "token_type": .string("Bearer"),
                        "iat": .int(1_700_000_000),
                        "exp": .int(1_700_000_120),
                        "iss": .string("overridden"),
                        "aud": .array([.string("api"), .string("web")]),
                        "auth_time": .double(1_699_999_000.5),
                        "nothing": .null,
                    ]))
            // Standard claims keep their place; an overriding claim is written where the standard one was.
            #expect(answer.body.hasPrefix(#"{"active":true,"scope":"admin","client_id":"svc","sub":"alice""#))
            #expect(answer.body.contains(#""iss":"overridden","aud":["api","web"],"auth_time":1699999000.5,"nothing":null}"#))
        }
    }

    @Test func unknownRevokedAndExpiredTokensAreInactive() async throws {
        let provider = DevIdentityProvider(now: clock.source)
        let revokedHere = provider.issueToken(clientID: "demo-client")
        let revokedOverHTTP = provider.issueToken(clientID: "demo-client")
        let shortLived = provider.issueToken(clientID: "demo-client", lifetime: .seconds(60))
        try await RunningProvider.run(provider) { server in
            let unknown = try await server.introspect("no-such-token")
            #expect(unknown.status == 200)
            #expect(unknown.body == #"{"active":false}"#)

            #expect(try await server.introspect(revokedHere)["active"] == .bool(true))
            provider.revoke(token: revokedHere)
            #expect(try await server.introspect(revokedHere).body == #"{"active":false}"#)

            let revocation = try await server.postForm("/revoke", [("token", revokedOverHTTP)], basic: ("demo-client", "demo-secret"))
            #expect(revocation.status == 200)
            #expect(try await server.introspect(revokedOverHTTP).body == #"{"active":false}"#)

            clock.advance(by: 59.9)
            #expect(try await server.introspect(shortLived)["active"] == .bool(true))
            clock.advance(by: 0.1)  // exactly exp: RFC 7519 says expired on or after
            #expect(try await server.introspect(shortLived).body == #"{"active":false}"#)
        }
    }

    @Test func revocationNeedsClientAuthenticationAndAToken() async throws {
        let provider = DevIdentityProvider()
        let token = provider.issueToken(clientID: "demo-client")
        try await RunningProvider.run(provider) { server in
            let anonymous = try await server.postForm("/revoke", [("token", token)])
            #expect(anonymous.status == 401)
            let noToken = try await server.postForm("/revoke", [], basic: ("demo-client", "demo-secret"))
            #expect(noToken.status == 400)
            #expect(noToken["error"] == .string("invalid_request"))
            #expect(try await server.introspect(token)["active"] == .bool(true))
        }
    }

    @Test func registeredAnswersAreSentVerbatimForTokensNeedingFormDecoding() async throws {
        let provider = DevIdentityProvider()
        // `+`, `/` and `=` must survive form encoding: `+` means space when not percent-encoded.
        let token = "ab+c/d=="
        let odd = #"{"active":true,"aud":["x","y"],"exp":1700000000.25, "scope" : "a b"}"#
        provider.register(token: token, introspectionAnswer: odd)
        provider.register(token: "ab c/d==", introspectionAnswer: #"{"active":true,"sub":"space"}"#)
        try await RunningProvider.run(provider) { server in
            let answer = try await server.introspect(token)
            #expect(answer.status == 200)
            #expect(answer.body == odd)
            #expect(try await server.introspect("ab c/d==").body == #"{"active":true,"sub":"space"}"#)

            provider.revoke(token: token)
            #expect(try await server.introspect(token).body == #"{"active":false}"#)
        }
    }

    @Test func introspectionRefusesMalformedRequestsPrecisely() async throws {
        let provider = DevIdentityProvider()
        try await RunningProvider.run(provider) { server in
            let noToken = try await server.postForm("/introspect", [("token_type_hint", "access_token")], basic: ("demo-client", "demo-secret"))
            #expect(noToken.status == 400)
            #expect(noToken["error"] == .string("invalid_request"))

            let repeated = try await server.postForm("/introspect", [("token", "a"), ("token", "b")], basic: ("demo-client", "demo-secret"))
            #expect(repeated.status == 400)
            #expect(repeated["error_description"] == .string(#"parameter "token" is repeated"#))

            var badEscape = HTTPClientRequestBuilder.form(server.url("/introspect"), body: "token=%zz")
            badEscape.headers.add(name: "Authorization", value: TestEncoding.basic(id: "demo-client", secret: "demo-secret"))
            let malformed = try await server.send(badEscape, timeout: .seconds(5))
            #expect(malformed.status == 400)
            #expect(malformed["error"] == .string("invalid_request"))

            let json = try await server.postJSON("/introspect", #"{"token":"x"}"#)
            #expect(json.status == 400)
            #expect(json["error_description"]?.string?.contains("application/x-www-form-urlencoded") == true)

            #expect(provider.introspectionCount == 4)
        }
    }
}
