import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import InMemoryLogging
import Logging
import NIOHTTP1
import Testing

@testable import GatewayHTTP

/// `/auth` against a live gateway and a live development identity provider.
@Suite struct AuthEndpointTests {
    @Test func activeTokenGets200WithAJWTThatPyJWTVerifies() async throws {
        try await LiveStack.run(["JWT_ISSUER": "gateway-under-test"]) { stack in
            let token = stack.provider.issueToken(clientID: "orders-app", scope: "orders:read orders:write", subject: "alice")
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "Cache-Control") == "no-store")
            #expect(answer.headers.first(name: "X-Auth-Subject") == "alice")
            #expect(answer.headers.first(name: "X-Auth-Scope") == "orders:read orders:write")
            #expect(answer.headers.first(name: "X-Auth-Client-Id") == "orders-app")
            let jwt = try #require(answer.headers.first(name: "X-JWT"))
            let claims = try PyJWT.decode(jwt, secret: LiveStack.jwtSecret)
            #expect(claims["sub"] as? String == "alice")
            #expect(claims["scope"] as? String == "orders:read orders:write")
            #expect(claims["iss"] as? String == "gateway-under-test")
            #expect(claims["active"] == nil)
            let issuedAt = try #require(claims["iat"] as? Int)
            let expiresAt = try #require(claims["exp"] as? Int)
            #expect(expiresAt - issuedAt <= 300 && expiresAt > issuedAt)
            #expect(stack.provider.introspectionCount == 1)
        }
    }

    @Test func everyMethodAndSubPathIsAnswered() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app")
            for method in [HTTPMethod.GET, .HEAD, .POST, .PUT, .DELETE, .PATCH, .OPTIONS, .RAW(value: "PROPFIND")] {
                for path in ["/auth", "/auth/", "/auth/orders/42?x=1"] {
                    let answer = try await stack.auth(bearer: token, method, path: path)
                    #expect(answer.status == 200, "\(method) \(path)")
                    #expect(answer.headers.first(name: "X-JWT") != nil, "\(method) \(path)")
                }
            }
            #expect(try await stack.request(.GET, "/authx").status == 404)
        }
    }

    @Test func missingTokenGets401WithAChallengeAndNoErrorCode() async throws {
        try await LiveStack.run { stack in
            for headers in [[], [("Authorization", "Basic dXNlcjpwYXNz")]] {
                let answer = try await stack.request(.GET, "/auth", headers: headers)
                #expect(answer.status == 401)
                #expect(answer.headers.first(name: "WWW-Authenticate") == #"Bearer realm="introspection-gateway""#)
                #expect(answer.headers.first(name: "X-JWT") == nil)
            }
            #expect(stack.provider.introspectionCount == 0)
        }
    }

    @Test func unknownMalformedRevokedAndExpiredTokensGet401InvalidToken() async throws {
        try await LiveStack.run(["AUTH_REALM": "orders"]) { stack in
            let revoked = stack.provider.issueToken(clientID: "app")
            stack.provider.revoke(token: revoked)
            let expired = "expired-token"
            stack.provider.register(token: expired, introspectionAnswer: #"{"active":true,"exp":\#(Int(Date().timeIntervalSince1970) - 10)}"#)
            for header in ["Bearer made-up", "Bearer bad token", "Bearer \(revoked)", "Bearer \(expired)", "Bearer"] {
                let answer = try await stack.request(.GET, "/auth", headers: [("Authorization", header)])
                #expect(answer.status == 401, "\(header)")
                #expect(answer.headers.first(name: "WWW-Authenticate") == #"Bearer realm="orders", error="invalid_token""#)
                #expect(answer.headers.first(name: "X-JWT") == nil && answer.headers.first(name: "X-Auth-Subject") == nil)
            }
        }
    }

    @Test func providersOfEveryShapeAreUnderstood() async throws {
        try await LiveStack.run { stack in
            let later = Date().timeIntervalSince1970 + 600
            stack.provider.register(token: "no-sub", introspectionAnswer: #"{"active":true,"username":"bob","exp":\#(later),"aud":["a","b"],"scope":"x"}"#)
            stack.provider.register(token: "bare", introspectionAnswer: #"{"active":true}"#)
            let noSub = try await stack.auth(bearer: "no-sub")
            #expect(noSub.status == 200)
            #expect(noSub.headers.first(name: "X-Auth-Subject") == "bob")
            let claims = try PyJWT.decode(try #require(noSub.headers.first(name: "X-JWT")), secret: LiveStack.jwtSecret, audience: "b")
            #expect(claims["aud"] as? [String] == ["a", "b"])
            #expect((claims["exp"] as? Int).map { Double($0) <= later } == true)
            let bare = try await stack.auth(bearer: "bare")
            #expect(bare.status == 200 && bare.headers.first(name: "X-Auth-Subject") == nil)
        }
    }

    @Test func theIntrospectionRequestFollowsRFC7662() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app")
            _ = try await stack.auth(bearer: token)
            let recorded = try #require(stack.provider.lastIntrospectionRequest)
            #expect(recorded.hasContentLength && !recorded.isChunked)
            let header = { (name: String) in recorded.headers.first { $0.name.lowercased() == name }?.value }
            #expect(header("content-type") == "application/x-www-form-urlencoded")
            #expect(header("accept") == "application/json")
            // RFC 6749 §2.3.1: id and secret are form-urlencoded before base64.
            let basic = try #require(header("authorization"))
            let decoded = String(decoding: Data(base64Encoded: String(basic.dropFirst("Basic ".count)))!, as: UTF8.self)
            #expect(decoded == "gateway-client:gateway+secret%2Fwith%2Bodd%3Achars%25")
            #expect(recorded.body.contains("token_type_hint=access_token"))
            #expect(!recorded.body.contains("client_secret"))
        }
    }

    @Test func clientSecretPostAuthenticatesInTheBody() async throws {
        try await LiveStack.run(["SSO_CLIENT_AUTH": "client_secret_post"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: token).status == 200)
            let recorded = try #require(stack.provider.lastIntrospectionRequest)
            #expect(!recorded.headers.contains { $0.name.lowercased() == "authorization" })
            #expect(recorded.body.contains("client_id=gateway-client"))
        }
    }

    @Test(arguments: [
        FailureMode.status(500), .status(502), .status(429, retryAfter: "3"), .status(401), .status(403), .status(404),
        .malformedJSON, .nonObjectJSON, .activeAsString, .hugeBody(bytes: 200_000), .delay(.seconds(6)), .hang,
    ])
    func providerFailuresGet503NeverA401(_ mode: FailureMode) async throws {
        // A short timeout only where the provider is slow on purpose.
        let timeout = mode == .hang || mode == .delay(.seconds(6)) ? "2s" : "10s"
        try await LiveStack.run(["INTROSPECTION_TIMEOUT": timeout]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            stack.provider.failureMode = mode
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 503, "\(mode)")
            #expect(answer.headers.first(name: "WWW-Authenticate") == nil)
            #expect(answer.headers.first(name: "X-JWT") == nil)
            #expect(!stack.logText.contains(token), "the token must never be logged")
            // The gateway recovers by itself once the provider does (a busy machine may need a
            // second try within the short timeout; never a 401 meanwhile).
            stack.provider.failureMode = .normal
            var recovered = try await stack.auth(bearer: token)
            for _ in 0..<2 where recovered.status == 503 { recovered = try await stack.auth(bearer: token) }
            #expect(recovered.status == 200)
        }
    }

    @Test func wrongClientCredentialsAreLoggedAsAnErrorThatSaysSo() async throws {
        try await LiveStack.run(["SSO_CLIENT_SECRET": "wrong-secret"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 503)
            let explained = stack.logs.entries.contains { entry in entry.level == Logger.Level.error && entry.message.description.contains("SSO_CLIENT_SECRET") }
            #expect(explained, "the error must say which settings to check")
            #expect(!stack.logText.contains("wrong-secret") && !stack.logText.contains(token))
        }
    }

    @Test func refusedConnectionGets503() async throws {
        let closed = try LiveStack.closedPort()
        try await LiveStack.run(introspectionURL: "http://127.0.0.1:\(closed)/introspect") { stack in
            let answer = try await stack.auth(bearer: "any-token")
            #expect(answer.status == 503)
            #expect(answer.body == "identity provider unavailable\n")
            #expect(try await stack.request(.GET, "/readyz").status == 503)
            #expect(try await stack.request(.GET, "/healthz").status == 200)
        }
    }

    @Test func missingAuthorizationIsLetThroughOnlyWhenConfigured() async throws {
        try await LiveStack.run(["ALLOW_MISSING_AUTH_HEADER": "true"]) { stack in
            let anonymous = try await stack.request(.GET, "/auth")
            #expect(anonymous.status == 200)
            #expect(anonymous.headers.first(name: "X-JWT") == nil && anonymous.headers.first(name: "X-Auth-Subject") == nil)
            #expect(try await stack.auth(bearer: "made-up").status == 401, "a bad token is still refused")
        }
    }

    @Test func passthroughJWTIsAcceptedOnlyWhenItVerifies() async throws {
        try await LiveStack.run(["ALLOW_JWT_PASSTHROUGH": "true"]) { stack in
            let token = stack.provider.issueToken(clientID: "app", subject: "carol")
            let jwt = try #require(try await stack.auth(bearer: token).headers.first(name: "X-JWT"))
            let before = stack.provider.introspectionCount
            let passed = try await stack.request(.GET, "/auth", headers: [("X-JWT", jwt)])
            #expect(passed.status == 200 && passed.headers.first(name: "X-Auth-Subject") == "carol")
            #expect(stack.provider.introspectionCount == before, "a verified JWT needs no introspection")
            let forged = jwt.dropLast(2) + (jwt.hasSuffix("AA") ? "BB" : "AA")
            #expect(try await stack.request(.GET, "/auth", headers: [("X-JWT", String(forged))]).status == 401)
        }
    }

    @Test func readinessFollowsTheProvider() async throws {
        try await LiveStack.run { stack in
            let ready = try await stack.request(.GET, "/readyz")
            #expect(ready.status == 200 && ready.body == "ready\n")
            let alive = try await stack.request(.HEAD, "/healthz")
            #expect(alive.status == 200)
        }
    }
}
