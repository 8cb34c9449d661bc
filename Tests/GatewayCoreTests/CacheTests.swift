import Logging
import Testing

@testable import GatewayCore

@Suite struct LRUStoreTests {
    @Test func evictsTheLeastRecentlyUsedAndStaysBounded() {
        var store = LRUStore<Int, String>(capacity: 3)
        store.set("a", for: 1)
        store.set("b", for: 2)
        store.set("c", for: 3)
        #expect(store.value(for: 1) == "a")  // 1 is now the most recent
        #expect(store.set("d", for: 4) == 2, "2 was the least recently used")
        #expect(store.keysOldestFirst == [3, 1, 4])
        #expect(store.count == 3)
        store.set("c2", for: 3)
        #expect(store.keysOldestFirst == [1, 4, 3], "an update counts as a use")
        #expect(store.removeValue(for: 4) == "d")
        #expect(store.keysOldestFirst == [1, 3])
        for key in 10..<1_000 { store.set("\(key)", for: key) }
        #expect(store.count == 3 && store.keysOldestFirst == [997, 998, 999])
        #expect(store.peek(997) == "997" && store.keysOldestFirst == [997, 998, 999], "peek does not reorder")
        store.removeAll()
        #expect(store.count == 0 && store.value(for: 999) == nil)
    }
}

@Suite struct IntrospectionCacheTests {
    let start = 1_800_000_000.0
    let token = BearerToken("cached-token")

    func active(exp: Double?) -> IntrospectionResult {
        .active(TokenClaims(exp.map { ["exp": .number($0)] } ?? [:]))
    }

    func isFresh(_ lookup: CacheLookup) -> Bool { if case .fresh = lookup { true } else { false } }
    func isStale(_ lookup: CacheLookup) -> Bool { if case .stale = lookup { true } else { false } }
    func isMiss(_ lookup: CacheLookup) -> Bool { if case .miss = lookup { true } else { false } }

    @Test func activeAnswersLiveForTheTTLButNeverPastExp() {
        let cache = IntrospectionCache(settings: CacheSettings(ttl: .seconds(60)))
        cache.store(active(exp: start + 3600), for: token.fingerprint, now: start)
        #expect(isFresh(cache.lookup(token.fingerprint, now: start + 59.9)))
        #expect(isMiss(cache.lookup(token.fingerprint, now: start + 60)))

        let shortLived = BearerToken("short-lived")
        cache.store(active(exp: start + 10), for: shortLived.fingerprint, now: start)
        #expect(isFresh(cache.lookup(shortLived.fingerprint, now: start + 9.9)))
        #expect(isMiss(cache.lookup(shortLived.fingerprint, now: start + 10)), "exp caps the TTL")

        let expired = BearerToken("expired")
        cache.store(active(exp: start - 1), for: expired.fingerprint, now: start)
        #expect(isMiss(cache.lookup(expired.fingerprint, now: start)), "an answer already past exp is not stored")
        #expect(cache.count.active == 0, "expired entries are dropped when met")
    }

    @Test func zeroTTLTurnsCachingOff() {
        let cache = IntrospectionCache(settings: CacheSettings(ttl: .zero, negativeTTL: .zero))
        cache.store(active(exp: nil), for: token.fingerprint, now: start)
        cache.store(.inactive(.notActive), for: BearerToken("other").fingerprint, now: start)
        #expect(cache.count == (0, 0))
    }

    @Test func inactiveAnswersUseTheNegativeTTLAndTheirOwnBound() {
        let cache = IntrospectionCache(settings: CacheSettings(ttl: .seconds(60), maximumEntries: 10, negativeTTL: .seconds(5), maximumNegativeEntries: 3))
        cache.store(active(exp: nil), for: token.fingerprint, now: start)
        for index in 0..<100 {
            cache.store(.inactive(.notActive), for: BearerToken("made-up-\(index)").fingerprint, now: start)
        }
        #expect(cache.count == (1, 3), "a flood of made-up tokens cannot push out a good one")
        #expect(isFresh(cache.lookup(token.fingerprint, now: start + 1)))
        let inactive = BearerToken("made-up-99").fingerprint
        #expect(isFresh(cache.lookup(inactive, now: start + 4.9)))
        #expect(isMiss(cache.lookup(inactive, now: start + 5)))
    }

    @Test func negativeTTLZeroDoesNotCacheInactiveAnswers() {
        let cache = IntrospectionCache(settings: CacheSettings(negativeTTL: .zero))
        cache.store(.inactive(.notActive), for: token.fingerprint, now: start)
        #expect(isMiss(cache.lookup(token.fingerprint, now: start)))
    }

    @Test func staleWindowFollowsTheTTLAndIsCappedByExp() {
        let cache = IntrospectionCache(settings: CacheSettings(ttl: .seconds(60), staleIfError: .seconds(300)))
        cache.store(active(exp: start + 3600), for: token.fingerprint, now: start)
        #expect(isStale(cache.lookup(token.fingerprint, now: start + 61)))
        #expect(isStale(cache.lookup(token.fingerprint, now: start + 359)))
        #expect(isMiss(cache.lookup(token.fingerprint, now: start + 360)))

        let soon = BearerToken("expires-soon")
        cache.store(active(exp: start + 100), for: soon.fingerprint, now: start)
        #expect(isStale(cache.lookup(soon.fingerprint, now: start + 99)))
        #expect(isMiss(cache.lookup(soon.fingerprint, now: start + 100)), "never past exp")
    }

    @Test func boundEvictsTheLeastRecentlyUsed() {
        let cache = IntrospectionCache(settings: CacheSettings(maximumEntries: 2))
        let (a, b, c) = (BearerToken("a").fingerprint, BearerToken("b").fingerprint, BearerToken("c").fingerprint)
        cache.store(active(exp: nil), for: a, now: start)
        cache.store(active(exp: nil), for: b, now: start)
        _ = cache.lookup(a, now: start)
        cache.store(active(exp: nil), for: c, now: start)
        #expect(cache.activeFingerprintsOldestFirst() == [a, c])
        #expect(isMiss(cache.lookup(b, now: start)))
    }

    @Test func evictAndFlush() {
        let cache = IntrospectionCache(settings: CacheSettings())
        cache.store(active(exp: nil), for: token.fingerprint, now: start)
        cache.store(.inactive(.notActive), for: BearerToken("x").fingerprint, now: start)
        #expect(cache.evict(token.fingerprint))
        #expect(!cache.evict(token.fingerprint))
        #expect(cache.flush() == 1)
        #expect(cache.count == (0, 0))
    }
}

@Suite struct CacheFillerTests {
    let clock = ManualWallClock(1_800_000_000)
    let token = BearerToken("the-token")

    func caching(_ inner: any TokenValidator, settings: CacheSettings = CacheSettings(), failures: Int = 5) throws -> TestPipeline {
        TestPipeline(
            configuration: try GatewayConfiguration.parse(ConfigurationEnvironment(ConfigurationTests.minimal)), validator: inner, clock: clock,
            settings: settings, failures: failures)
    }

    @Test func hitsDoNotAskTheProviderAndFailuresAreNeverCached() async throws {
        let inner = ScriptedIntrospector(["the-token": .failure(.serverError(status: 500))])
        let introspector = try caching(inner)
        await #expect(throws: IntrospectionFailure.self) { try await introspector.result(for: token) }
        await #expect(throws: IntrospectionFailure.self) { try await introspector.result(for: token) }
        #expect(inner.calls == 2, "a failure is not cached")
        inner.set("the-token", .success(.active(TokenClaims(["sub": .string("alice")]))))
        _ = try await introspector.result(for: token)
        _ = try await introspector.result(for: token)
        guard case .fresh = introspector.cache.lookup(token.fingerprint, now: clock.now()) else {
            Issue.record("an active answer is cached")
            return
        }
        #expect(inner.calls == 3)
        clock.advance(by: 60)
        _ = try await introspector.result(for: token)
        #expect(inner.calls == 4, "asked again once the TTL ran out")
    }

    @Test func concurrentMissesForOneTokenMakeOneIntrospection() async throws {
        let inner = GatedIntrospector(.success(.active(TokenClaims(["sub": .string("alice")]))))
        let introspector = try caching(inner)
        let callers = 200
        try await withThrowingTaskGroup(of: IntrospectionResult.self) { group in
            for _ in 0..<callers { group.addTask { try await introspector.result(for: token) } }
            while introspector.filler.waitingCallers(for: token) < callers - 1 { await Task.yield() }
            inner.openGate()
            var results = 0
            for try await result in group {
                if case .active = result { results += 1 }
            }
            #expect(results == callers)
        }
        #expect(inner.calls == 1)
    }

    @Test func aFailureReachesEveryWaiter() async throws {
        let inner = GatedIntrospector(.failure(.timeout))
        let introspector = try caching(inner)
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    do {
                        _ = try await introspector.result(for: token)
                        return false
                    } catch let failure as IntrospectionFailure {
                        return failure == .timeout
                    } catch {
                        return false
                    }
                }
            }
            while introspector.filler.waitingCallers(for: token) < 19 { await Task.yield() }
            inner.openGate()
            for await failedAsExpected in group { #expect(failedAsExpected) }
        }
        #expect(inner.calls == 1)
    }

    @Test func cancellingTheFirstCallerDoesNotFailTheOthers() async throws {
        let inner = GatedIntrospector(.success(.active(TokenClaims([:]))))
        let introspector = try caching(inner)
        let first = Task { try await introspector.result(for: token) }
        while inner.calls == 0 { await Task.yield() }
        let second = Task { try await introspector.result(for: token) }
        while introspector.filler.waitingCallers(for: token) < 1 { await Task.yield() }
        first.cancel()
        inner.openGate()
        guard case .active = try await second.value else {
            Issue.record("the second caller must get the answer")
            return
        }
        #expect(inner.calls == 1)
    }

    @Test func staleAnswersStandInOnlyForProviderFailuresAndNeverPastExp() async throws {
        let inner = ScriptedIntrospector(["the-token": .success(.active(TokenClaims(["exp": .number(clock.now() + 600)])))])
        let introspector = try caching(inner, settings: CacheSettings(ttl: .seconds(60), staleIfError: .seconds(300)))
        _ = try await introspector.result(for: token)
        clock.advance(by: 120)
        inner.set("the-token", .failure(.serverError(status: 503)))
        guard case .active = try await introspector.result(for: token) else {
            Issue.record("a stale answer stands in while the provider fails")
            return
        }
        inner.set("the-token", .failure(.credentialsRejected(status: 401)))
        await #expect(throws: IntrospectionFailure.self, "not for our own misconfiguration") { try await introspector.result(for: token) }
        inner.set("the-token", .failure(.timeout))
        clock.advance(by: 300)  // 420 s after: past the stale window
        await #expect(throws: IntrospectionFailure.self) { try await introspector.result(for: token) }
    }

    @Test func theCircuitOpensAfterRepeatedFailuresAndClosesAfterASuccessfulTrial() async throws {
        let inner = ScriptedIntrospector(["the-token": .failure(.connectionFailed("refused"))])
        let introspector = try caching(inner, failures: 3)
        for _ in 0..<3 { await #expect(throws: IntrospectionFailure.self) { try await introspector.result(for: token) } }
        #expect(inner.calls == 3)
        for _ in 0..<10 {
            await #expect(throws: IntrospectionFailure.circuitOpen) { try await introspector.result(for: token) }
        }
        #expect(inner.calls == 3, "an open circuit does not ask the provider")
        clock.advance(by: 1.5)
        await #expect(throws: IntrospectionFailure.self) { try await introspector.result(for: token) }
        #expect(inner.calls == 4, "one trial after the back-off")
        clock.advance(by: 1.5)
        await #expect(throws: IntrospectionFailure.circuitOpen, "the back-off doubled to 2 s") { try await introspector.result(for: token) }
        clock.advance(by: 1)
        inner.set("the-token", .success(.active(TokenClaims([:]))))
        _ = try await introspector.result(for: token)
        introspector.cache.flush()
        _ = try await introspector.result(for: token)
        #expect(inner.calls == 6, "closed again")
    }
}
