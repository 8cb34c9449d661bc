import DevIdentityProvider
import Testing

@Suite("Control endpoints for scripts")
struct ControlEndpointTests {
    static let modes: [(json: String, mode: FailureMode)] = [
        (#"{"mode":"normal"}"#, .normal),
        (#"{"mode":"delay","ms":20}"#, .delay(.milliseconds(20))),
        (#"{"mode":"status","status":500}"#, .status(500)),
        (#"{"mode":"status","status":429,"retry_after":"2"}"#, .status(429, retryAfter: "2")),
        (#"{"mode":"status","status":503,"retry_after":7}"#, .status(503, retryAfter: "7")),
        (#"{"mode":"malformed_json"}"#, .malformedJSON),
        (#"{"mode":"non_object_json"}"#, .nonObjectJSON),
        (#"{"mode":"active_as_string"}"#, .activeAsString),
        (#"{"mode":"huge_body","bytes":100000}"#, .hugeBody(bytes: 100_000)),
        (#"{"mode":"hang"}"#, .hang),
        (#"{"mode":"slow_body","interval_ms":100}"#, .slowBody(interval: .milliseconds(100))),
    ]

    @Test func modeCommandsSetTheFailureMode() async throws {
        let provider = DevIdentityProvider()
        try await RunningProvider.run(provider) { server in
            for (json, mode) in Self.modes {
                provider.failureMode = .malformedJSON == mode ? .normal : .malformedJSON
                let reply = try await server.postJSON("/_dev/mode", json)
                #expect(reply.status == 200, "\(json)")
                #expect(provider.failureMode == mode, "\(json)")
            }
            provider.failureMode = .normal
        }
    }

    @Test(arguments: [
        (#"{"mode":"sideways"}"#, "unknown mode \"sideways\""),
        (#"{"mode":"delay"}"#, "needs \"ms\""),
        (#"{"mode":"delay","ms":-1}"#, "\"ms\" must be"),
        (#"{"mode":"status","status":700}"#, "\"status\" must be"),
        (#"{"mode":"huge_body"}"#, "needs \"bytes\""),
        (#"{"mode":"slow_body","interval_ms":"fast"}"#, "\"interval_ms\" must be an integer"),
        (#"{"ms":20}"#, "\"mode\" is missing"),
        (#"[1]"#, "not a JSON object"),
        (#"mode=hang"#, "not valid JSON"),
    ])
    func badModeCommandsAre400WithAClearMessage(json: String, message: String) async throws {
        let provider = DevIdentityProvider()
        try await RunningProvider.run(provider) { server in
            let reply = try await server.postJSON("/_dev/mode", json)
            #expect(reply.status == 400)
            #expect(reply["error"] == .string("invalid_request"))
            let description = try #require(reply["error_description"]?.string)
            #expect(description.contains(message), "\(description)")
            #expect(provider.failureMode == .normal)
        }
    }

    @Test func statsAndResetFollowTheIntrospectionCount() async throws {
        let provider = DevIdentityProvider()
        try await RunningProvider.run(provider) { server in
            #expect(try await server.get("/_dev/stats").body == #"{"introspections":0}"#)
            _ = try await server.introspect("a")
            _ = try await server.postForm("/introspect", [("token", "b")])  // 401, counted all the same
            provider.failureMode = .status(500)
            _ = try await server.introspect("c")
            _ = try await server.get("/healthz")  // not an introspection
            let stats = try await server.get("/_dev/stats")
            #expect(stats.status == 200)
            #expect(stats["introspections"] == .int(3))
            #expect(provider.introspectionCount == 3)

            let reset = try await server.postJSON("/_dev/reset", "")
            #expect(reset.status == 200)
            #expect(provider.introspectionCount == 0)
            #expect(provider.failureMode == .normal)
            #expect(try await server.get("/_dev/stats")["introspections"] == .int(0))
        }
    }

    @Test func devTokensIssueWithoutClientAuthentication() async throws {
        let clock = TestClock()
        let provider = DevIdentityProvider(now: clock.source)
        try await RunningProvider.run(provider) { server in
            let issued = try await server.postJSON(
                "/_dev/tokens", #"{"client_id":"demo-client","scope":"read write","lifetime":3600,"subject":"alice"}"#)
            #expect(issued.status == 200)
            #expect(issued["expires_in"] == .int(3600))
            let token = try #require(issued["access_token"]?.string)
            let claims = try await server.introspect(token)
            #expect(claims["active"] == .bool(true))
            #expect(claims["sub"] == .string("alice"))
            #expect(claims["scope"] == .string("read write"))
            #expect(claims["client_id"] == .string("demo-client"))
            #expect(claims["exp"] == .int(Int64(clock.now) + 3600))

            let extra = try await server.postJSON("/_dev/tokens", #"{"client_id":"x","extra_claims":{"aud":["a","b"],"level":3}}"#)
            let extraToken = try #require(extra["access_token"]?.string)
            let extraClaims = try await server.introspect(extraToken)
            #expect(extraClaims["aud"] == .array([.string("a"), .string("b")]))
            #expect(extraClaims["level"] == .int(3))
            #expect(extraClaims["sub"] == .string("x"))

            let batch = try await server.postJSON("/_dev/tokens", #"{"client_id":"bench","count":3}"#)
            guard case .array(let tokens)? = batch["access_tokens"] else {
                Issue.record("a batch answers access_tokens")
                return
            }
            #expect(Set(tokens.compactMap(\.string)).count == 3)
            if case .string(let first)? = tokens.first {
                #expect(try await server.introspect(first)["client_id"] == .string("bench"))
            }
            #expect(try await server.postJSON("/_dev/tokens", #"{"client_id":"bench","count":0}"#).status == 400)

            let missing = try await server.postJSON("/_dev/tokens", #"{"scope":"read"}"#)
            #expect(missing.status == 400)
            #expect(missing["error_description"]?.string?.contains("\"client_id\" is missing") == true)
        }
    }

    @Test func healthzAndUnknownPaths() async throws {
        try await RunningProvider.run(DevIdentityProvider()) { server in
            let health = try await server.get("/healthz")
            #expect(health.status == 200)
            let nowhere = try await server.get("/nowhere")
            #expect(nowhere.status == 404)
        }
    }
}
