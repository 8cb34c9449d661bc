import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import NIOHTTP1
import Testing

/// The cache, single-flight, the admin API, metrics and the event-loop fast path, seen from
/// outside: counts of what the live identity provider received.
@Suite struct CacheEndpointTests {
    @Test(arguments: [true, false])
    func repeatedRequestsAreAnsweredFromTheCacheWithTheSameJWT(fastPath: Bool) async throws {
        try await LiveStack.run(["AUTH_FAST_PATH": "\(fastPath)"]) { stack in
            let token = stack.provider.issueToken(clientID: "app", scope: "read", subject: "alice")
            let first = try await stack.auth(bearer: token)
            for method in [HTTPMethod.GET, .HEAD, .POST] {
                let again = try await stack.auth(bearer: token, method)
                #expect(again.status == 200)
                #expect(again.headers.first(name: "X-JWT") == first.headers.first(name: "X-JWT"))
                #expect(again.headers.first(name: "X-Auth-Subject") == "alice")
                #expect(again.headers.first(name: "Cache-Control") == "no-store")
                #expect(again.headers.first(name: "Content-Length") == "0")
            }
            #expect(stack.provider.introspectionCount == 1)
            #expect(try await stack.metric("gateway_cache_hits_total") == 3)
            #expect(try await stack.metric("gateway_cache_misses_total") == 1)
        }
    }

    @Test func inactiveAnswersAreCachedBriefly() async throws {
        try await LiveStack.run(["NEGATIVE_CACHE_TTL": "1m"]) { stack in
            for _ in 0..<5 {
                let answer = try await stack.auth(bearer: "made-up")
                #expect(answer.status == 401)
            }
            #expect(stack.provider.introspectionCount == 1)
        }
    }

    @Test func cachingCanBeTurnedOff() async throws {
        try await LiveStack.run(["CACHE_TTL": "0", "NEGATIVE_CACHE_TTL": "0"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            for _ in 0..<3 {
                let allowed = try await stack.auth(bearer: token)
                let denied = try await stack.auth(bearer: "made-up")
                #expect(allowed.status == 200 && denied.status == 401)
            }
            #expect(stack.provider.introspectionCount == 6)
        }
    }

    @Test func concurrentColdRequestsForOneTokenReachTheProviderOnce() async throws {
        try await LiveStack.run(["INTROSPECTION_TIMEOUT": "30s"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            stack.provider.failureMode = .hang
            let callers = 100
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<callers { group.addTask { try await stack.auth(bearer: token).status } }
                // Every caller but the first is waiting for the first one's introspection.
                let deadline = ContinuousClock.now + .seconds(30)
                while try await stack.metric("gateway_coalesced_requests_total") < Double(callers - 1), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                stack.provider.failureMode = .normal
                for try await status in group { #expect(status == 200) }
            }
            #expect(stack.provider.introspectionCount == 1)
        }
    }

    @Test func adminEvictionMakesTheNextRequestIntrospectAgain() async throws {
        let adminToken = "admin-token-for-the-tests-0123456789"
        try await LiveStack.run(["ADMIN_TOKEN": adminToken]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: token).status == 200)
            stack.provider.revoke(token: token)
            #expect(try await stack.auth(bearer: token).status == 200, "still cached: revocation reaches the gateway by eviction or TTL")

            let refused = try await stack.request(.POST, "/admin/cache/evict", body: #"{"token":"\#(token)"}"#)
            #expect(refused.status == 401, "the admin API needs the admin token")
            let wrong = try await stack.request(.POST, "/admin/cache/evict", headers: [("Authorization", "Bearer wrong")], body: #"{"token":"\#(token)"}"#)
            #expect(wrong.status == 401)

            let admin = [("Authorization", "Bearer \(adminToken)")]
            let evicted = try await stack.request(.POST, "/admin/cache/evict", headers: admin, body: #"{"token":"\#(token)"}"#)
            #expect(evicted.status == 200 && evicted.body.contains(#""evicted":true"#))
            #expect(try await stack.auth(bearer: token).status == 401, "revoked and no longer cached")
            #expect(stack.provider.introspectionCount == 2)
            #expect(!stack.logText.contains(token), "the admin API logs a fingerprint, never the token")

            let other = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: other).status == 200)
            let sha256 = try #require(evicted.body.split(separator: "\"").dropFirst(5).first.map(String.init))
            #expect(sha256.count == 64)
            let byHash = try await stack.request(.POST, "/admin/cache/evict", headers: admin, body: #"{"sha256":"\#(sha256)"}"#)
            #expect(byHash.status == 200 && byHash.body.contains(#""evicted":true"#), "the inactive answer cached since")
            let again = try await stack.request(.POST, "/admin/cache/evict", headers: admin, body: #"{"sha256":"\#(sha256)"}"#)
            #expect(again.body.contains(#""evicted":false"#))
            let bad = try await stack.request(.POST, "/admin/cache/evict", headers: admin, body: #"{"sha256":"xyz"}"#)
            #expect(bad.status == 400)
            let flushed = try await stack.request(.POST, "/admin/cache/flush", headers: admin)
            #expect(flushed.status == 200 && flushed.body.contains(#""flushed":1"#))
            #expect(try await stack.auth(bearer: other).status == 200)
            #expect(stack.provider.introspectionCount == 4)
        }
    }

    @Test func theAdminAPIIsOffByDefaultAndOnItsOwnLoopbackPortWhenAsked() async throws {
        try await LiveStack.run { stack in
            let answer = try await stack.request(.POST, "/admin/cache/flush")
            #expect(answer.status == 404)
        }
        try await LiveStack.run(["ADMIN_PORT": "0"]) { stack in
            let adminPort = try #require(stack.adminPort)
            #expect(try await stack.request(.POST, "/admin/cache/flush").status == 404, "not on the main port")
            let flushed = try await stack.request(.POST, "/admin/cache/flush", port: adminPort)
            #expect(flushed.status == 200)
        }
    }

    @Test func metricsCountDecisionsCacheAndIntrospectionsWithoutTokens() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app", subject: "subject-that-must-not-appear")
            _ = try await stack.auth(bearer: token)
            _ = try await stack.auth(bearer: token)
            _ = try await stack.auth(bearer: "made-up-token-value")
            _ = try await stack.request(.GET, "/auth")
            stack.provider.failureMode = .status(500)
            _ = try await stack.auth(bearer: "another-made-up-token")
            let text = try await stack.request(.GET, "/metrics").body
            #expect(try await stack.metric(#"gateway_decisions_total{result="allow"}"#) == 2)
            #expect(try await stack.metric(#"gateway_decisions_total{result="deny"}"#) == 2)
            #expect(try await stack.metric(#"gateway_decisions_total{result="unavailable"}"#) == 1)
            #expect(try await stack.metric(#"gateway_introspection_requests_total{outcome="active"}"#) == 1)
            #expect(try await stack.metric(#"gateway_introspection_requests_total{outcome="inactive"}"#) == 1)
            #expect(try await stack.metric(#"gateway_introspection_requests_total{outcome="server_error"}"#) == 1)
            #expect(try await stack.metric("gateway_cache_hits_total") == 1)
            #expect(try await stack.metric("gateway_cache_entries") == 2)
            #expect(text.contains("gateway_introspection_duration_seconds_bucket"))
            #expect(text.contains("gateway_circuit_breaker_state 0"))
            for secret in [token, "made-up-token-value", "another-made-up-token", "subject-that-must-not-appear", LiveStack.clientSecret] {
                #expect(!text.contains(secret))
            }
        }
    }

    @Test func theCircuitBreakerAnswersAt503WithoutAskingTheProvider() async throws {
        try await LiveStack.run(["CIRCUIT_BREAKER_FAILURES": "2", "CIRCUIT_BREAKER_COOLDOWN": "1h", "INTROSPECTION_TIMEOUT": "30s"]) { stack in
            stack.provider.failureMode = .status(500)
            for index in 0..<6 {
                let answer = try await stack.auth(bearer: "token-\(index)")
                #expect(answer.status == 503)
            }
            // Two failed look-ups, each retried once; then the circuit is open.
            #expect(stack.provider.introspectionCount == 4)
            let state = try await stack.metric("gateway_circuit_breaker_state")
            #expect(state == 1)
        }
    }
}
