import DevIdentityProvider
import Foundation
import GatewayCore
import InMemoryLogging
import Logging
import NIOHTTP1
import Testing

@testable import GatewayHTTP

/// `POLICY_FILE` against a live gateway and identity provider: precise RFC 6750 answers per route.
@Suite struct PolicyEndpointTests {
    static let policy = """
        {"rules": [
          {"path": "/internal/**", "deny": true},
          {"path": "/public/**", "anonymous": true},
          {"path": "/orders/**", "methods": ["GET"], "all_scopes": ["orders:read"]},
          {"path": "/orders/**", "methods": ["POST", "PUT", "DELETE"], "all_scopes": ["orders:write"]},
          {"path": "/reports/*", "any_scopes": ["reports:read", "admin"]},
          {"path": "/admin/**", "all_scopes": ["admin"], "audience": "admin-api"}
        ], "default": {"all_scopes": ["api"]}}
        """
    static let challenge = #"Bearer realm="introspection-gateway", error="insufficient_scope""#

    /// A stack whose POLICY_FILE holds `policy`.
    static func run(_ policy: String = Self.policy, _ variables: [String: String] = [:], _ body: (LiveStack, GatewayFiles) async throws -> Void) async throws {
        let files = try GatewayFiles()
        try files.write("policy.json", policy)
        try await LiveStack.run(["POLICY_FILE": files.path("policy.json")].merging(variables) { _, new in new }) { stack in
            try await body(stack, files)
        }
    }

    /// An auth subrequest the way nginx sends it.
    static func nginx(_ stack: LiveStack, _ method: String, _ uri: String, token: String?) async throws -> LiveStack.Answer {
        var headers = [("X-Original-Method", method), ("X-Original-URI", uri)]
        if let token { headers.append(("Authorization", "Bearer \(token)")) }
        return try await stack.request(.GET, "/auth", headers: headers)
    }

    static func expectAllowed(_ answer: LiveStack.Answer, subject: String?, _ comment: Comment) {
        #expect(answer.status == 200, comment)
        #expect(answer.headers.first(name: "X-Auth-Subject") == subject, comment)
        #expect((answer.headers.first(name: "X-JWT") != nil) == (subject != nil), comment)
    }

    static func expectForbidden(_ answer: LiveStack.Answer, challenge: String?, _ comment: Comment) {
        #expect(answer.status == 403, comment)
        #expect(answer.headers.first(name: "WWW-Authenticate") == challenge, comment)
        #expect(answer.headers.first(name: "X-JWT") == nil && answer.headers.first(name: "X-Auth-Subject") == nil, comment)
        #expect(answer.headers.first(name: "Cache-Control") == "no-store", comment)
    }

    @Test func aRouteThatNeedsMoreScopeAnswers403InsufficientScope() async throws {
        try await Self.run { stack, _ in
            let reader = stack.provider.issueToken(clientID: "app", scope: "api orders:read", subject: "rita")
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/orders/42", token: reader), subject: "rita", "GET needs orders:read")
            let write = try await Self.nginx(stack, "DELETE", "/orders/42", token: reader)
            Self.expectForbidden(write, challenge: Self.challenge + #", scope="orders:write""#, "DELETE needs orders:write")
            #expect(write.body == "insufficient scope\n")
            let other = try await Self.nginx(stack, "GET", "/reports/q3", token: reader)
            Self.expectForbidden(other, challenge: Self.challenge + #", scope="reports:read admin""#, "any of: both alternatives named")
            let admin = stack.provider.issueToken(clientID: "app", scope: "api admin", subject: "ada")
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/reports/q3", token: admin), subject: "ada", "one of the any_scopes is enough")
            let noAudience = try await Self.nginx(stack, "GET", "/admin/users", token: admin)
            Self.expectForbidden(noAudience, challenge: Self.challenge, "a route audience has no scope to name")
            let plain = stack.provider.issueToken(clientID: "app", scope: "profile", subject: "pat")
            Self.expectForbidden(try await Self.nginx(stack, "GET", "/anything", token: plain), challenge: Self.challenge + #", scope="api""#, "the default rule")
            #expect(try await Self.nginx(stack, "GET", "/orders/42", token: nil).status == 401, "no token: 401, not 403")
        }
    }

    @Test func anAnonymousRouteTakesNoTokenButRefusesABadOne() async throws {
        try await Self.run { stack, _ in
            let anonymous = try await Self.nginx(stack, "GET", "/public/logo.png", token: nil)
            Self.expectAllowed(anonymous, subject: nil, "no token on an anonymous route")
            #expect(stack.provider.introspectionCount == 0)
            let token = stack.provider.issueToken(clientID: "app", scope: "profile", subject: "val")
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/public/logo.png", token: token), subject: "val", "a valid token brings its identity")
            let invalid = try await Self.nginx(stack, "GET", "/public/logo.png", token: "made-up")
            #expect(invalid.status == 401)
            #expect(invalid.headers.first(name: "WWW-Authenticate") == #"Bearer realm="introspection-gateway", error="invalid_token""#)
        }
    }

    @Test func aDenyRuleAnswers403WithoutAChallenge() async throws {
        try await Self.run { stack, _ in
            let admin = stack.provider.issueToken(clientID: "app", scope: "api admin", subject: "ada")
            for token in [admin, nil] {
                let answer = try await Self.nginx(stack, "GET", "/internal/metrics", token: token)
                Self.expectForbidden(answer, challenge: nil, "deny rule, token: \(token != nil)")
                #expect(answer.body == "forbidden\n")
            }
            #expect(stack.provider.introspectionCount == 0)
        }
    }

    @Test func aCacheHitIsDeniedByARuleLive() async throws {
        try await Self.run { stack, _ in
            let reader = stack.provider.issueToken(clientID: "app", scope: "api orders:read", subject: "rita")
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/orders/1", token: reader), subject: "rita", "miss")
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/orders/2", token: reader), subject: "rita", "hit")
            Self.expectForbidden(
                try await Self.nginx(stack, "POST", "/orders", token: reader), challenge: Self.challenge + #", scope="orders:write""#, "hit, denied")
            Self.expectForbidden(try await Self.nginx(stack, "GET", "/internal/x", token: reader), challenge: nil, "hit, deny rule")
            #expect(stack.provider.introspectionCount == 1, "one introspection; every later answer came from the cache")
        }
    }

    @Test func noSpellingOfAPathStepsAroundARuleInAnyProxyShape() async throws {
        try await Self.run { stack, _ in
            let user = stack.provider.issueToken(clientID: "app", scope: "api", subject: "una")
            let disguises = ["/admin/../admin/users", "/%61dmin/users", "//admin//users/", "/public/../admin/users", "/public/%2e%2e/admin/users",
                             "/./admin/users?x=/public"]
            for uri in disguises {
                let nginx = try await Self.nginx(stack, "GET", uri, token: user)
                Self.expectForbidden(nginx, challenge: Self.challenge + #", scope="admin""#, "nginx \(uri)")
                let traefik = try await stack.auth(bearer: user, headers: [("X-Forwarded-Method", "GET"), ("X-Forwarded-Uri", uri)])
                Self.expectForbidden(traefik, challenge: Self.challenge + #", scope="admin""#, "traefik \(uri)")
                let envoy = try await stack.auth(bearer: user, path: "/auth" + uri)
                Self.expectForbidden(envoy, challenge: Self.challenge + #", scope="admin""#, "envoy \(uri)")
            }
            for uri in ["/public/..%2Fadmin", "/public/%252e%252e/admin", "/..", "/public/..;/admin", "/public%00/x", "/public\\..\\admin"] {
                Self.expectForbidden(try await Self.nginx(stack, "GET", uri, token: user), challenge: nil, "refused: \(uri)")
                Self.expectForbidden(try await Self.nginx(stack, "GET", uri, token: nil), challenge: nil, "refused without a token: \(uri)")
            }
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/public/a/../b", token: nil), subject: nil, "a harmless .. is resolved, not refused")
        }
    }

    @Test func aClientCannotChooseThePathThePolicyJudges() async throws {
        try await Self.run { stack, _ in
            let user = stack.provider.issueToken(clientID: "app", scope: "api", subject: "una")
            // Traefik sets X-Forwarded-*; a client adds X-Original-URI pointing at an open route.
            let forged = try await stack.auth(
                bearer: user, headers: [("X-Forwarded-Method", "GET"), ("X-Forwarded-Uri", "/admin/users"), ("X-Original-URI", "/public/x")])
            Self.expectForbidden(forged, challenge: nil, "conflicting original URIs")
            let doubled = try await stack.request(.GET, "/auth", headers: [("X-Original-URI", "/public/x"), ("X-Original-URI", "/admin/users")])
            Self.expectForbidden(doubled, challenge: nil, "the same header twice")
            let envoy = try await stack.auth(bearer: user, path: "/auth/admin/users", headers: [("X-Original-URI", "/public/x")])
            Self.expectForbidden(envoy, challenge: nil, "a header contradicting Envoy's path")
            let unknown = try await stack.auth(bearer: user)
            Self.expectForbidden(unknown, challenge: nil, "no original URI at all")
            #expect(stack.provider.introspectionCount == 0)
        }
    }

    @Test func sighupReloadTakesAValidPolicyAndKeepsTheOldOneOverAnInvalidOne() async throws {
        try await Self.run { stack, files in
            let user = stack.provider.issueToken(clientID: "app", scope: "api", subject: "una")
            #expect(try await Self.nginx(stack, "GET", "/reports/q3", token: user).status == 403)
            try files.write("policy.json", #"{"rules": [{"path": "/reports/**", "anonymous": true}], "default": {"deny": true}}"#)
            guard case .reloaded(_) = stack.reloader.reload() else {
                Issue.record("a valid policy must be taken")
                return
            }
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/reports/q3", token: nil), subject: nil, "reloaded: anonymous")
            Self.expectForbidden(try await Self.nginx(stack, "GET", "/orders/1", token: user), challenge: nil, "reloaded: default deny")

            try files.write("policy.json", #"{"rules": [{"path": "/reports/**", "anonymous": "yes"}]}"#)
            guard case .rejected(_) = stack.reloader.reload() else {
                Issue.record("an invalid policy must be refused")
                return
            }
            Self.expectAllowed(try await Self.nginx(stack, "GET", "/reports/q3", token: nil), subject: nil, "the running policy stays")
            let logged = stack.logs.entries.contains { $0.level == .error && $0.message.description.contains("rules[0].anonymous: must be true or false") }
            #expect(logged, "the log says why the new file was refused")
        }
    }
}
