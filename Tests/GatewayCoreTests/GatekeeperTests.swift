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
        return TestPipeline.uncached(configuration: configuration, validator: introspector, clock: clock).gatekeeper
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

    func gatekeeper(_ inner: any TokenValidator) throws -> (Gatekeeper, TestPipeline) {
        let variables = ConfigurationTests.minimal.merging(["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "k", count: 32)]) { a, _ in a }
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(variables))
        let pipeline = TestPipeline(configuration: configuration, validator: inner, clock: clock)
        return (pipeline.gatekeeper, pipeline)
    }

    /// The decision when it needs no waiting; nil when the request is pending.
    func decidedAtOnce(_ gatekeeper: Gatekeeper, _ request: AuthRequest) -> Decision? {
        guard case .decided(let decision) = gatekeeper.prepare(request) else { return nil }
        return decision
    }

    @Test func aCacheHitIsDecidedWithoutWaitingAndReusesTheJWT() async throws {
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["sub": .string("alice"), "exp": .number(clock.now() + 3600)])))])
        let (gatekeeper, _) = try gatekeeper(inner)
        let request = AuthRequest(authorization: .parse("Bearer t"))
        #expect(decidedAtOnce(gatekeeper, request) == nil, "a miss must wait for the provider")
        guard case .allow(let first) = await gatekeeper.decide(request),
              case .allow(let second)? = decidedAtOnce(gatekeeper, request)
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
        guard case .allow(let later)? = decidedAtOnce(gatekeeper, request) else {
            Issue.record("expected a hit")
            return
        }
        #expect(later.jwt != first.jwt, "7 s left is under the reuse margin")
        #expect(later.jwt?.expiresAt == first.jwt?.expiresAt, "still capped by the token's exp")
    }

    @Test func aCachedAnswerIsCheckedForExpiryOnEveryHit() async throws {
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["exp": .number(clock.now() + 30)])))])
        let (gatekeeper, pipeline) = try gatekeeper(inner)
        let request = AuthRequest(authorization: .parse("Bearer t"))
        guard case .allow = await gatekeeper.decide(request) else {
            Issue.record("expected allow")
            return
        }
        clock.advance(by: 30)
        // The cache entry expires with the token; the decision must not allow either way.
        if case .allow = await gatekeeper.decide(request) { Issue.record("an expired token was let through") }
        guard case .miss = pipeline.cache.lookup(BearerToken("t").fingerprint, now: clock.now()) else {
            Issue.record("the entry expired with the token")
            return
        }
    }
}

/// A validator that checks some tokens on the spot (as a JWT is checked against keys already
/// held) and would have to be waited for with the others.
private final class OnTheSpotValidator: TokenValidator {
    let waited = ScriptedIntrospector()
    let onTheSpot: [String: IntrospectionResult]

    init(_ onTheSpot: [String: IntrospectionResult]) {
        self.onTheSpot = onTheSpot
    }

    func validate(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        try await waited.validate(token)
    }

    func validateWithoutWaiting(_ token: BearerToken, now: Double) -> IntrospectionResult? {
        onTheSpot[token.value]
    }
}

@Suite struct GatekeeperPhaseTests {
    let clock = ManualWallClock(1_800_000_000)

    func pipeline(_ validator: any TokenValidator) throws -> TestPipeline {
        TestPipeline(configuration: try GatewayConfiguration.parse(ConfigurationEnvironment(ConfigurationTests.minimal)), validator: validator, clock: clock)
    }

    @Test func aTokenTheValidatorChecksOnTheSpotIsDecidedInPrepareAndCached() throws {
        let validator = OnTheSpotValidator(["jwt": .active(TokenClaims(["sub": .string("jo"), "exp": .number(clock.now() + 600)]))])
        let pipeline = try pipeline(validator)
        let request = AuthRequest(authorization: .parse("Bearer jwt"))
        guard case .decided(.allow(let first)) = pipeline.gatekeeper.prepare(request),
              case .decided(.allow(let second)) = pipeline.gatekeeper.prepare(request)
        else {
            Issue.record("both requests are decided without waiting")
            return
        }
        #expect(first.subject == "jo" && second.source == .cache)
        #expect(validator.waited.calls == 0, "nothing was waited for")
        guard case .pending = pipeline.gatekeeper.prepare(AuthRequest(authorization: .parse("Bearer opaque"))) else {
            Issue.record("a token the validator cannot check on the spot waits")
            return
        }
    }

    @Test func finishValidatesTheTokenPrepareFoundMissingOnce() async throws {
        let validator = GatedIntrospector(.success(.active(TokenClaims(["sub": .string("al")]))))
        let pipeline = try pipeline(validator)
        let request = AuthRequest(authorization: .parse("Bearer t"))
        var pendings: [PendingDecision] = []
        for _ in 0..<3 {
            guard case .pending(let pending) = pipeline.gatekeeper.prepare(request) else {
                Issue.record("a miss is pending")
                return
            }
            pendings.append(pending)
        }
        await withTaskGroup(of: Decision.self) { group in
            for pending in pendings { group.addTask { await pipeline.gatekeeper.finish(pending) } }
            while pipeline.filler.waitingCallers(for: BearerToken("t")) < 2 { await Task.yield() }
            validator.openGate()
            for await decision in group {
                guard case .allow(let grant) = decision else {
                    Issue.record("expected allow, got \(decision)")
                    continue
                }
                #expect(grant.subject == "al" && grant.source == .introspection)
            }
        }
        #expect(validator.calls == 1, "three pending requests, one validation")
        guard case .decided(.allow) = pipeline.gatekeeper.prepare(request) else {
            Issue.record("then a hit")
            return
        }
    }
}

