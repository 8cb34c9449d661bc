import Logging
import Testing

@testable import GatewayCore

@Suite struct GatekeeperTests {
    let clock = ManualWallClock(1_800_000_000)
    let jwtSecret = String(repeating: "s", count: 32)

    func gatekeeper(_ introspector: ScriptedIntrospector, _ extra: [String: String] = [:]) throws -> Gatekeeper {
        let variables = ConfigurationTests.minimal.merging(["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": jwtSecret]) { a, _ in a }
            .merging(extra) { _, new in new }
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(variables))
        return Gatekeeper(configuration: configuration, introspector: introspector, clock: clock, logger: Logger(label: "test"))
    }

    @Test func activeTokenIsAllowedWithASignedJWT() async throws {
        let introspector = ScriptedIntrospector(["good": .success(.active(TokenClaims(["sub": .string("alice"), "exp": .integer(1_800_000_100)])))])
        let decision = try await gatekeeper(introspector).decide(AuthRequest(authorization: .parse("Bearer good")))
        guard case .allow(let grant) = decision else {
            Issue.record("expected allow, got \(decision)")
            return
        }
        #expect(grant.subject == "alice")
        #expect(grant.jwt?.expiresAt == 1_800_000_100)
        #expect(grant.source == .introspection)
        #expect(introspector.calls == 1)
    }

    @Test func inactiveTokenIsDeniedAndFailureIsUnavailable() async throws {
        let introspector = ScriptedIntrospector(["down": .failure(.serverError(status: 502))])
        let gatekeeper = try gatekeeper(introspector)
        guard case .deny(.invalidToken) = await gatekeeper.decide(AuthRequest(authorization: .parse("Bearer unknown"))) else {
            Issue.record("inactive must be invalid_token")
            return
        }
        guard case .unavailable(let failure) = await gatekeeper.decide(AuthRequest(authorization: .parse("Bearer down"))) else {
            Issue.record("a provider failure must be unavailable, never a denial")
            return
        }
        #expect(failure.kind == "server_error")
    }

    @Test func anActiveAnswerThatExpiredSinceIsDenied() async throws {
        // The answer was active when given; by the time the pipeline checks, exp has passed.
        let introspector = ScriptedIntrospector(["old": .success(.active(TokenClaims(["exp": .integer(1_799_999_999)])))])
        guard case .deny(.invalidToken("expired")) = try await gatekeeper(introspector).decide(AuthRequest(authorization: .parse("Bearer old"))) else {
            Issue.record("expected expired")
            return
        }
    }

    @Test func missingOtherSchemeAndMalformedHeaders() async throws {
        let introspector = ScriptedIntrospector()
        let gatekeeper = try gatekeeper(introspector)
        guard case .deny(.missingToken) = await gatekeeper.decide(AuthRequest(authorization: .missing)),
              case .deny(.missingToken) = await gatekeeper.decide(AuthRequest(authorization: .otherScheme)),
              case .deny(.invalidToken) = await gatekeeper.decide(AuthRequest(authorization: .malformed))
        else {
            Issue.record("unexpected decision")
            return
        }
        #expect(introspector.calls == 0, "nothing to introspect")
    }

    @Test func missingAuthorizationIsAnonymousOnlyWhenAllowed() async throws {
        let introspector = ScriptedIntrospector()
        let open = try gatekeeper(introspector, ["ALLOW_MISSING_AUTH_HEADER": "true"])
        guard case .allow(let grant) = await open.decide(AuthRequest(authorization: .missing)) else {
            Issue.record("expected anonymous allow")
            return
        }
        #expect(grant.source == .anonymous && grant.jwt == nil && grant.subject == nil)
        guard case .deny(.invalidToken) = await open.decide(AuthRequest(authorization: .malformed)) else {
            Issue.record("a malformed header is not a missing one")
            return
        }
    }

    @Test func passthroughJWTSkipsIntrospectionOnlyWhenItVerifies() async throws {
        let introspector = ScriptedIntrospector()
        let gatekeeper = try gatekeeper(introspector, ["ALLOW_JWT_PASSTHROUGH": "true"])
        let signer = HS256Signer(secret: Secret(jwtSecret))
        let valid = try JWTIssuer(signer: signer, ttl: .seconds(60), issuer: nil).issue(for: TokenClaims(["sub": .string("bob")]), now: clock.now())
        guard case .allow(let grant) = await gatekeeper.decide(AuthRequest(authorization: .missing, presentedJWT: valid.compact)) else {
            Issue.record("expected passthrough allow")
            return
        }
        #expect(grant.source == .passthrough && grant.subject == "bob" && grant.jwt?.compact == valid.compact)

        let forged = try JWTIssuer(signer: HS256Signer(secret: Secret(String(repeating: "f", count: 32))), ttl: .seconds(60), issuer: nil)
            .issue(for: TokenClaims(["sub": .string("mallory")]), now: clock.now())
        guard case .deny(.missingToken) = await gatekeeper.decide(AuthRequest(authorization: .missing, presentedJWT: forged.compact)) else {
            Issue.record("a JWT that does not verify is treated as absent")
            return
        }
        #expect(introspector.calls == 0)
    }

    @Test func passthroughIsIgnoredWhenNotEnabled() async throws {
        let introspector = ScriptedIntrospector()
        let signer = HS256Signer(secret: Secret(jwtSecret))
        let valid = try JWTIssuer(signer: signer, ttl: .seconds(60), issuer: nil).issue(for: TokenClaims([:]), now: clock.now())
        guard case .deny(.missingToken) = try await gatekeeper(introspector).decide(AuthRequest(authorization: .missing, presentedJWT: valid.compact)) else {
            Issue.record("passthrough is off by default")
            return
        }
    }
}

@Suite struct GatekeeperCacheTests {
    let clock = ManualWallClock(1_800_000_000)

    func gatekeeper(_ inner: any TokenIntrospector) throws -> (Gatekeeper, CachingIntrospector) {
        let variables = ConfigurationTests.minimal.merging(["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "k", count: 32)]) { a, _ in a }
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(variables))
        let caching = CachingIntrospector(
            wrapping: inner, cache: IntrospectionCache(settings: configuration.cache),
            breaker: CircuitBreaker(failureThreshold: 5, initialBackoff: .seconds(1), clock: clock), clock: clock, logger: Logger(label: "test"))
        return (Gatekeeper(configuration: configuration, introspector: caching, clock: clock, logger: Logger(label: "test")), caching)
    }

    @Test func aCacheHitIsDecidedWithoutWaitingAndReusesTheJWT() async throws {
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["sub": .string("alice"), "exp": .number(clock.now() + 3600)])))])
        let (gatekeeper, _) = try gatekeeper(inner)
        let request = AuthRequest(authorization: .parse("Bearer t"))
        #expect(gatekeeper.decideWithoutWaiting(request) == nil, "a miss must wait for the provider")
        guard case .allow(let first) = await gatekeeper.decide(request),
              case .allow(let second)? = gatekeeper.decideWithoutWaiting(request)
        else {
            Issue.record("expected two allows")
            return
        }
        #expect(second.source == .cache && first.source == .introspection)
        #expect(second.jwt == first.jwt, "a hit reuses the JWT signed for the entry")
        #expect(inner.calls == 1)
    }

    @Test func aCachedJWTCloseToItsEndIsSignedAnew() async throws {
        // JWT_TTL is 300 s, the cache TTL 60 s: let the token expire 65 s from now instead.
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["exp": .number(clock.now() + 65)])))])
        let (gatekeeper, _) = try gatekeeper(inner)
        let request = AuthRequest(authorization: .parse("Bearer t"))
        guard case .allow(let first) = await gatekeeper.decide(request) else {
            Issue.record("expected allow")
            return
        }
        clock.advance(by: 58)
        guard case .allow(let later)? = gatekeeper.decideWithoutWaiting(request) else {
            Issue.record("expected a hit")
            return
        }
        #expect(later.jwt != first.jwt, "7 s left is under the reuse margin")
        #expect(later.jwt?.expiresAt == first.jwt?.expiresAt, "still capped by the token's exp")
    }

    @Test func aCachedAnswerIsCheckedForExpiryOnEveryHit() async throws {
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["exp": .number(clock.now() + 30)])))])
        let (gatekeeper, caching) = try gatekeeper(inner)
        let request = AuthRequest(authorization: .parse("Bearer t"))
        guard case .allow = await gatekeeper.decide(request) else {
            Issue.record("expected allow")
            return
        }
        clock.advance(by: 30)
        // The cache entry expires with the token; the decision must not allow either way.
        if case .allow = await gatekeeper.decide(request) { Issue.record("an expired token was let through") }
        #expect(caching.freshEntry(for: BearerToken("t"), now: clock.now()) == nil)
    }
}
