import Logging
import Testing

@testable import GatewayCore

/// The route policy inside the one pipeline: on introspected answers, cache hits and
/// passthrough JWTs alike.
@Suite struct RoutePolicyGatekeeperTests {
    let clock = ManualWallClock(1_800_000_000)
    static let jwtSecret = String(repeating: "p", count: 32)
    static let policy = """
        {"rules": [
          {"path": "/internal/**", "deny": true},
          {"path": "/public/**", "anonymous": true},
          {"path": "/orders/**", "methods": ["GET"], "all_scopes": ["orders:read"]},
          {"path": "/orders/**", "methods": ["POST", "DELETE"], "all_scopes": ["orders:write"]},
          {"path": "/reports/*", "any_scopes": ["reports:read", "admin"]},
          {"path": "/admin/**", "all_scopes": ["admin"], "audience": "admin-api"}
        ]}
        """

    func gatekeeper(
        _ inner: any TokenValidator, _ extra: [String: String] = [:], policy: String = Self.policy, cached: Bool = false
    ) throws -> Gatekeeper {
        let variables = ConfigurationTests.minimal
            .merging(["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": Self.jwtSecret, "POLICY_FILE": "/etc/gateway/policy.json"]) { a, _ in a }
            .merging(extra) { _, new in new }
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(
            variables, readFile: ConfigurationParsing.reader(["/etc/gateway/policy.json": policy])))
        return cached
            ? TestPipeline(configuration: configuration, validator: inner, clock: clock).gatekeeper
            : TestPipeline.uncached(configuration: configuration, validator: inner, clock: clock).gatekeeper
    }

    func active(_ claims: [String: JSONValue]) -> Result<IntrospectionResult, IntrospectionFailure> {
        .success(.active(TokenClaims(claims.merging(["exp": .number(clock.now() + 3600)]) { a, _ in a })))
    }

    static func request(_ authorization: String?, _ method: String, _ uri: String, jwt: String? = nil) -> AuthRequest {
        AuthRequest(
            authorization: authorization.map { AuthorizationHeader.parse($0) } ?? .missing, presentedJWT: jwt,
            originalMethod: method, originalURI: uri)
    }

    /// What `prepare` found, as `outcome` reads a decision ("waits" when it is pending).
    static func outcome(_ preparation: Preparation) -> String {
        guard case .decided(let decision) = preparation else { return "waits" }
        return outcome(decision)
    }

    /// A decision as a short text, so expectations read as the HTTP answer would.
    static func outcome(_ decision: Decision?) -> String {
        switch decision {
        case nil: "waits"
        case .allow(let grant)?: grant.subject.map { "allow \($0)" } ?? "allow anonymous"
        case .deny(.missingToken)?: "401 missing"
        case .deny(.invalidToken(let reason))?: "401 \(reason)"
        case .deny(.insufficientScope(let scope))?: "403 scope=\(scope)"
        case .deny(.forbidden)?: "403 forbidden"
        case .unavailable?: "503"
        }
    }

    @Test func allOfScopesPerMethod() async throws {
        let inner = ScriptedIntrospector(["reader": active(["sub": .string("rita"), "scope": .string("orders:read")])])
        let gatekeeper = try gatekeeper(inner)
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer reader", "GET", "/orders/1"))) == "allow rita")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer reader", "HEAD", "/orders/1"))) == "allow rita")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer reader", "POST", "/orders"))) == "403 scope=orders:write")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer reader", "delete", "/orders/1"))) == "403 scope=orders:write")
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "POST", "/orders"))) == "401 missing")
    }

    @Test func anyOfScopesAndTheDefault() async throws {
        let inner = ScriptedIntrospector([
            "admin": active(["sub": .string("ada"), "scope": .string("admin")]),
            "plain": active(["sub": .string("pat"), "scope": .string("profile")]),
        ])
        let gatekeeper = try gatekeeper(inner)
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer admin", "GET", "/reports/q3"))) == "allow ada")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer plain", "GET", "/reports/q3"))) == "403 scope=reports:read admin")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer plain", "GET", "/reports/q3/detail"))) == "allow pat", "* is one segment; the default needs only a token")
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "GET", "/elsewhere"))) == "401 missing")
    }

    @Test func globalAndRouteRequirementsAddUp() async throws {
        let inner = ScriptedIntrospector([
            "both": active(["sub": .string("bo"), "scope": .string("api orders:write")]),
            "route-only": active(["sub": .string("ro"), "scope": .string("orders:write")]),
            "global-only": active(["sub": .string("go"), "scope": .string("api")]),
        ])
        let gatekeeper = try gatekeeper(inner, ["REQUIRED_SCOPES": "api"])
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer both", "POST", "/orders"))) == "allow bo")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer route-only", "POST", "/orders"))) == "403 scope=api orders:write")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer global-only", "POST", "/orders"))) == "403 scope=api orders:write")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer global-only", "GET", "/elsewhere"))) == "allow go")
    }

    @Test func aRouteAudienceIsA403AGlobalOneA401() async throws {
        let inner = ScriptedIntrospector([
            "for-admin": active(["sub": .string("al"), "scope": .string("admin"), "aud": .array([.string("api"), .string("admin-api")])]),
            "for-api": active(["sub": .string("ap"), "scope": .string("admin"), "aud": .string("api")]),
            "for-other": active(["sub": .string("ot"), "scope": .string("admin"), "aud": .string("other")]),
        ])
        let gatekeeper = try gatekeeper(inner, ["REQUIRED_AUDIENCE": "api"])
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer for-admin", "GET", "/admin/users"))) == "allow al")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer for-api", "GET", "/admin/users"))) == "403 scope=")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer for-other", "GET", "/admin/users"))) == "401 audience not accepted")
    }

    @Test func aDenyRuleRefusesEveryoneWithoutAskingTheProvider() async throws {
        let inner = ScriptedIntrospector(["admin": active(["sub": .string("ada"), "scope": .string("admin")])])
        let gatekeeper = try gatekeeper(inner)
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer admin", "GET", "/internal/metrics"))) == "403 forbidden")
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "GET", "/internal"))) == "403 forbidden")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer admin", "GET", "/public/../internal/x"))) == "403 forbidden")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer admin", "GET", "/public/%2e%2e/internal"))) == "403 forbidden")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer admin", "GET", "/public%2F..%2Finternal"))) == "403 forbidden", "refused: unsafe path")
        #expect(inner.calls == 0)
    }

    @Test func anonymousRoutesTakeNoTokenButCheckOneThatIsGiven() async throws {
        let inner = ScriptedIntrospector([
            "valid": active(["sub": .string("val"), "scope": .string("nothing-special"), "iss": .string("https://idp.example.com")]),
            "elsewhere": active(["sub": .string("els"), "iss": .string("https://other-idp")]),
        ])
        let gatekeeper = try gatekeeper(inner, ["REQUIRED_ISSUER": "https://idp.example.com"])
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "GET", "/public/logo.png"))) == "allow anonymous")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Basic dXNlcjpwYXNz", "GET", "/public/x"))) == "allow anonymous",
                "another scheme is no bearer token: the upstream may handle it")
        #expect(inner.calls == 0)
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer unknown", "GET", "/public/x"))) == "401 not active")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer bad token", "GET", "/public/x"))) == "401 malformed")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer elsewhere", "GET", "/public/x"))) == "401 issuer not accepted")
        // A valid token is introspected so identity flows; scopes are not required on an anonymous route.
        let valid = await gatekeeper.decide(Self.request("Bearer valid", "GET", "/public/x"))
        #expect(Self.outcome(valid) == "allow val")
        if case .allow(let grant) = valid { #expect(grant.jwt != nil && grant.source == .introspection) }
    }

    @Test func aCacheHitIsDeniedByARuleItsFirstRequestPassed() async throws {
        let inner = ScriptedIntrospector(["reader": active(["sub": .string("rita"), "scope": .string("orders:read")])])
        let gatekeeper = try gatekeeper(inner, cached: true)
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer reader", "GET", "/orders/1"))) == "allow rita")
        #expect(Self.outcome(gatekeeper.prepare(Self.request("Bearer reader", "GET", "/orders/2"))) == "allow rita")
        let hit = gatekeeper.prepare(Self.request("Bearer reader", "DELETE", "/orders/1"))
        #expect(Self.outcome(hit) == "403 scope=orders:write", "the fast path runs the policy on a cache hit")
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer reader", "DELETE", "/orders/1"))) == "403 scope=orders:write")
        #expect(Self.outcome(gatekeeper.prepare(Self.request("Bearer reader", "GET", "/internal/x"))) == "403 forbidden")
        #expect(inner.calls == 1, "every later decision came from the cache")
    }

    @Test func aPassthroughJWTMeetsTheRouteToo() async throws {
        let inner = ScriptedIntrospector()
        let gatekeeper = try gatekeeper(inner, ["ALLOW_JWT_PASSTHROUGH": "true", "REQUIRED_AUDIENCE": "api", "JWT_AUDIENCE": "upstream"])
        let issuer = JWTIssuer(signer: HS256Signer(secret: Secret(Self.jwtSecret)), ttl: .seconds(60), issuer: nil, audience: "upstream")
        let jwt = try issuer.issue(for: TokenClaims(["sub": .string("pia"), "scope": .string("orders:read")]), now: clock.now()).compact
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "GET", "/orders/1", jwt: jwt))) == "allow pia",
                "our signature vouches for the global audience, which JWT_AUDIENCE replaced")
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "POST", "/orders", jwt: jwt))) == "403 scope=orders:write")
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "GET", "/internal/x", jwt: jwt))) == "403 forbidden")
        let otherAudience = try JWTIssuer(signer: HS256Signer(secret: Secret(Self.jwtSecret)), ttl: .seconds(60), issuer: nil, audience: "elsewhere")
            .issue(for: TokenClaims(["sub": .string("pia"), "scope": .string("orders:read")]), now: clock.now()).compact
        #expect(Self.outcome(await gatekeeper.decide(Self.request(nil, "GET", "/orders/1", jwt: otherAudience))) == "401 missing",
                "a JWT for another audience is treated as absent")
        #expect(inner.calls == 0)
    }

    @Test func withoutAPolicyFileThePathIsNotLookedAt() async throws {
        let inner = ScriptedIntrospector(["t": active(["sub": .string("tom")])])
        let gatekeeper = try gatekeeper(inner, ["POLICY_FILE": ""])
        #expect(Self.outcome(await gatekeeper.decide(Self.request("Bearer t", "GET", "/admin%2F.."))) == "allow tom")
        #expect(Self.outcome(await gatekeeper.decide(AuthRequest(authorization: .parse("Bearer t")))) == "allow tom")
    }
}
