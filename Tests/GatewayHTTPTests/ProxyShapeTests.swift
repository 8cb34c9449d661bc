import DevIdentityProvider
import Foundation
import InMemoryLogging
import Logging
import Testing

/// `/auth` asked exactly as Traefik's ForwardAuth middleware and Envoy's ext_authz HTTP service
/// ask it (neither proxy runs here; nginx and HAProxy are run for real by scripts/deploy-test).
///
/// - Traefik: always `GET` on the configured address, the client's headers copied (Authorization
///   among them), the original request in `X-Forwarded-Method/-Proto/-Host/-Uri/-For`. Any 2xx
///   admits the request and copies `authResponseHeaders` to it.
/// - Envoy (`http_service` with `path_prefix: /auth`): the ORIGINAL method, the path prefixed
///   (`/auth/orders/42?x=1`), the allowed headers, no body and `content-length: 0`. Only a 200
///   admits it; `allowed_upstream_headers` are copied to it.
///
/// So the gateway must answer 200 (never another 2xx) to admit and ≥ 400 to refuse, with the
/// identity headers on a 200 only.
@Suite struct ProxyShapeTests {
    static let clientHost = "api.example.com"

    static func traefik(authorization: String?, extra: [(String, String)] = []) -> RawHTTPConnection.Request {
        var headers: [(String, String)] = [
            ("Host", "gateway:8080"),
            ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64)"),
            ("Accept", "application/json"),
            ("Content-Type", "application/json"),
            ("Cookie", "session=abc"),
        ]
        if let authorization { headers.append(("Authorization", authorization)) }
        headers += extra + [
            ("X-Forwarded-For", "203.0.113.7"),
            ("X-Forwarded-Host", clientHost),
            ("X-Forwarded-Method", "POST"),
            ("X-Forwarded-Proto", "https"),
            ("X-Forwarded-Uri", "/orders/42?expand=items"),
            ("Accept-Encoding", "gzip"),
        ]
        return .init(method: "GET", target: "/auth", headers: headers)
    }

    static func envoy(_ method: String, _ originalPath: String, authorization: String?) -> RawHTTPConnection.Request {
        var headers: [(String, String)] = [("host", clientHost)]
        if let authorization { headers.append(("authorization", authorization)) }
        headers += [
            ("content-length", "0"),
            ("x-forwarded-proto", "https"),
            ("x-request-id", "7d1c6c52-4a8e-4f4e-9c3e-2f6f0e1b9a10"),
            ("x-envoy-expected-rq-timeout-ms", "500"),
        ]
        return .init(method: method, target: "/auth" + originalPath, headers: headers)
    }

    static func ask(_ stack: LiveStack, _ request: RawHTTPConnection.Request) async throws -> RawHTTPConnection.Answer {
        try await RawHTTPConnection.exchange(port: stack.gatewayPort, [request])[0]
    }

    /// The gateway logged a decision for this original method and path (query left out).
    static func decisionLogged(_ stack: LiveStack, method: String, path: String) -> Bool {
        stack.logs.entries.contains { entry in
            entry.message.description == "decision" && entry.metadata["method"] == .string(method) && entry.metadata["path"] == .string(path)
        }
    }

    static func expectAdmitted(_ answer: RawHTTPConnection.Answer, subject: String, _ context: String) throws {
        #expect(answer.status == 200, "\(context)")
        #expect(answer.first("Cache-Control") == "no-store", "\(context)")
        #expect(answer.first("X-Auth-Subject") == subject, "\(context)")
        #expect(answer.first("X-Auth-Scope") == "read write", "\(context)")
        #expect(answer.first("X-Auth-Client-Id") == "orders-app", "\(context)")
        let jwt = try #require(answer.first("X-JWT"), "\(context)")
        #expect(answer.values("X-JWT").count == 1, "\(context)")
        let claims = try PyJWT.decode(jwt, secret: LiveStack.jwtSecret)
        #expect(claims["sub"] as? String == subject, "\(context)")
    }

    static func expectRefused(_ answer: RawHTTPConnection.Answer, status: Int, challenge: String?, _ context: String) {
        #expect(answer.status == status, "\(context)")
        #expect(!(200..<300).contains(answer.status), "\(context): a 2xx would admit the request through Traefik")
        #expect(answer.first("WWW-Authenticate") == challenge, "\(context)")
        for name in ["X-JWT", "X-Auth-Subject", "X-Auth-Scope", "X-Auth-Client-Id"] {
            #expect(answer.first(name) == nil, "\(context): \(name) on a refusal")
        }
        #expect(answer.first("Cache-Control") == "no-store", "\(context)")
    }

    static let missing = #"Bearer realm="introspection-gateway""#
    static let invalid = #"Bearer realm="introspection-gateway", error="invalid_token""#

    // MARK: Traefik ForwardAuth

    @Test func traefikForwardAuthWithAValidTokenIsAdmittedWithIdentityHeaders() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "orders-app", scope: "read write", subject: "alice")
            let answer = try await Self.ask(stack, Self.traefik(authorization: "Bearer \(token)"))
            try Self.expectAdmitted(answer, subject: "alice", "traefik")
            #expect(Self.decisionLogged(stack, method: "POST", path: "/orders/42"), "the original request comes from X-Forwarded-Method/-Uri")
            #expect(stack.provider.introspectionCount == 1)
        }
    }

    @Test func traefikForwardAuthWithoutOrWithABadTokenIsRefusedWith401() async throws {
        try await LiveStack.run { stack in
            let forgedJWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJtYWxsb3J5In0.c2lnbmF0dXJl"
            let cases: [(String, String?, [(String, String)], String)] = [
                ("no Authorization", nil, [], Self.missing),
                ("Basic credentials", "Basic dXNlcjpwYXNz", [], Self.missing),
                ("unknown token", "Bearer made-up-token", [], Self.invalid),
                // Traefik copies every client header, a forged JWT header too.
                ("forged X-JWT, no token", nil, [("X-JWT", forgedJWT), ("X-Auth-Subject", "mallory")], Self.missing),
            ]
            for (name, authorization, extra, challenge) in cases {
                let answer = try await Self.ask(stack, Self.traefik(authorization: authorization, extra: extra))
                Self.expectRefused(answer, status: 401, challenge: challenge, "traefik, \(name)")
            }
        }
    }

    // MARK: Envoy ext_authz (HTTP service, path_prefix: /auth)

    @Test func envoyExtAuthzWithAValidTokenIsAdmittedForEveryMethodAndPath() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "orders-app", scope: "read write", subject: "bob")
            let cases = [
                ("POST", "/orders?dry-run=1", "/orders"), ("DELETE", "/orders/42", "/orders/42"),
                ("GET", "/", "/"), ("GET", "/?page=2", "/"), ("PUT", "/a/b/c", "/a/b/c"), ("HEAD", "/orders/42", "/orders/42"),
            ]
            for (method, originalPath, loggedPath) in cases {
                let answer = try await Self.ask(stack, Self.envoy(method, originalPath, authorization: "Bearer \(token)"))
                try Self.expectAdmitted(answer, subject: "bob", "envoy \(method) \(originalPath)")
                #expect(answer.body.isEmpty)
                #expect(Self.decisionLogged(stack, method: method, path: loggedPath), "envoy \(method) \(originalPath): the original request comes from the method and the path after /auth")
            }
            #expect(stack.provider.introspectionCount == 1, "one introspection, then the cache")
        }
    }

    @Test func envoyExtAuthzWithoutOrWithABadTokenIsRefusedWith401() async throws {
        try await LiveStack.run { stack in
            for method in ["GET", "POST", "DELETE", "HEAD"] {
                let none = try await Self.ask(stack, Self.envoy(method, "/orders/42", authorization: nil))
                Self.expectRefused(none, status: 401, challenge: Self.missing, "envoy \(method), no token")
                let bad = try await Self.ask(stack, Self.envoy(method, "/orders/42", authorization: "Bearer made-up-token"))
                Self.expectRefused(bad, status: 401, challenge: Self.invalid, "envoy \(method), unknown token")
            }
        }
    }

    // MARK: Only a 200 admits

    @Test func onlyA200AdmitsEveryOtherOutcomeIsAnErrorStatusWithoutIdentity() async throws {
        try await LiveStack.run(["REQUIRED_SCOPES": "read"]) { stack in
            let valid = stack.provider.issueToken(clientID: "orders-app", scope: "read write", subject: "carol")
            let writeOnly = stack.provider.issueToken(clientID: "orders-app", scope: "write", subject: "carol")
            let unseenByTraefik = stack.provider.issueToken(clientID: "orders-app", scope: "read", subject: "carol")
            let unseenByEnvoy = stack.provider.issueToken(clientID: "orders-app", scope: "read", subject: "carol")

            let shapes: [(String, (String?) -> RawHTTPConnection.Request)] = [
                ("traefik", { Self.traefik(authorization: $0) }),
                ("envoy", { Self.envoy("POST", "/orders", authorization: $0) }),
            ]
            for (shape, request) in shapes {
                try Self.expectAdmitted(try await Self.ask(stack, request("Bearer \(valid)")), subject: "carol", "\(shape), valid")
                Self.expectRefused(try await Self.ask(stack, request(nil)), status: 401, challenge: Self.missing, "\(shape), no token")
                Self.expectRefused(try await Self.ask(stack, request("Bearer nope")), status: 401, challenge: Self.invalid, "\(shape), bad token")
                Self.expectRefused(
                    try await Self.ask(stack, request("Bearer \(writeOnly)")), status: 403,
                    challenge: #"Bearer realm="introspection-gateway", error="insufficient_scope", scope="read""#, "\(shape), scope")
            }

            stack.provider.failureMode = .status(500)
            for (shape, request, token) in [(shapes[0].0, shapes[0].1, unseenByTraefik), (shapes[1].0, shapes[1].1, unseenByEnvoy)] {
                let answer = try await Self.ask(stack, request("Bearer \(token)"))
                Self.expectRefused(answer, status: 503, challenge: nil, "\(shape), identity provider failing")
            }
        }
    }

    // MARK: Kept-alive connections, as the proxies' pools use them

    @Test func answersOnOneKeptAliveConnectionComeInOrder() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "orders-app", scope: "read write", subject: "dave")
            let answers = try await RawHTTPConnection.exchange(port: stack.gatewayPort, [
                Self.traefik(authorization: "Bearer \(token)"),  // a miss: introspected
                Self.envoy("HEAD", "/orders/1", authorization: "Bearer \(token)"),  // a cache hit
                Self.traefik(authorization: nil),
                Self.envoy("DELETE", "/orders/1", authorization: "Bearer unknown"),
                Self.traefik(authorization: "Bearer \(token)"),
            ])
            #expect(answers.map(\.status) == [200, 200, 401, 401, 200])
            #expect(answers[0].first("X-Auth-Subject") == "dave" && answers[1].first("X-Auth-Subject") == "dave" && answers[4].first("X-Auth-Subject") == "dave")
            #expect(stack.provider.introspectionCount == 2, "the token once, the unknown token once")
        }
    }
}
