import AsyncHTTPClient
import DevIdentityProvider
import NIOCore
import NIOHTTP1
import Testing

@Suite("Failure modes of /introspect")
struct FailureModeTests {
    let provider = DevIdentityProvider(now: TestClock().source)

    /// An active token and the answer a correct provider gives for it.
    private func activeToken(_ server: RunningProvider) async throws -> (token: String, normal: Reply) {
        let token = provider.issueToken(clientID: "demo-client", scope: "read", subject: "alice")
        let normal = try await server.introspect(token)
        #expect(normal["active"] == .bool(true))
        return (token, normal)
    }

    @Test func delayWaitsThenAnswersNormally() async throws {
        try await RunningProvider.run(provider) { server in
            let (token, normal) = try await activeToken(server)
            provider.failureMode = .delay(.milliseconds(200))
            let clock = ContinuousClock()
            let start = clock.now
            let delayed = try await server.introspect(token)
            #expect(clock.now - start >= .milliseconds(200))
            #expect(delayed.status == 200)
            #expect(delayed.body == normal.body)
        }
    }

    @Test(arguments: [500, 502, 401, 403])
    func statusAnswersThatStatusWithAShortBody(code: Int) async throws {
        try await RunningProvider.run(provider) { server in
            let (token, _) = try await activeToken(server)
            provider.failureMode = .status(code)
            let reply = try await server.introspect(token)
            #expect(reply.status == code)
            #expect(reply.header("Retry-After") == nil)
            #expect(!reply.body.isEmpty && reply.body.utf8.count < 100)
            #expect(reply.json == nil)
            #expect(provider.introspectionCount == 2)
        }
    }

    @Test func tooManyRequestsCarriesRetryAfter() async throws {
        try await RunningProvider.run(provider) { server in
            provider.failureMode = .status(429, retryAfter: "2")
            let reply = try await server.introspect("anything")
            #expect(reply.status == 429)
            #expect(reply.header("Retry-After") == "2")
        }
    }

    @Test func contentModesReplaceTheBody() async throws {
        try await RunningProvider.run(provider) { server in
            let (token, normal) = try await activeToken(server)

            provider.failureMode = .malformedJSON
            let malformed = try await server.introspect(token)
            #expect(malformed.status == 200)
            #expect(malformed.body == #"{"active": tru"#)
            #expect(malformed.json == nil)

            provider.failureMode = .nonObjectJSON
            let array = try await server.introspect(token)
            #expect(array.status == 200)
            #expect(array.body == "[true]")

            provider.failureMode = .activeAsString
            let stringly = try await server.introspect(token)
            #expect(stringly.status == 200)
            #expect(stringly["active"] == .string("true"))
            #expect(stringly["sub"] == .string("alice"))
            #expect(stringly["exp"] == normal["exp"])
            #expect(try await server.introspect("unknown")["active"] == .string("true"))
        }
    }

    @Test func hugeBodyIsAValidObjectOfExactlyThatSize() async throws {
        try await RunningProvider.run(provider) { server in
            let (token, normal) = try await activeToken(server)
            provider.failureMode = .hugeBody(bytes: 100_000)
            let huge = try await server.introspect(token)
            #expect(huge.status == 200)
            #expect(huge.header("Content-Length") == "100000")
            #expect(huge.body.utf8.count == 100_000)
            let claims = try #require(huge.json)
            #expect(claims["active"] == .bool(true))
            #expect(claims["sub"] == .string("alice"))
            #expect(claims["exp"] == normal["exp"])
            #expect(claims["padding"]?.string?.count ?? 0 > 99_000)
        }
    }

    @Test func slowBodySendsHeadersAtOnceThenTricklesTheAnswer() async throws {
        provider.register(token: "slow", introspectionAnswer: #"{"active":true,"sub":"slow"}"#)  // 28 bytes: 7 chunks
        try await RunningProvider.run(provider) { server in
            provider.failureMode = .slowBody(interval: .milliseconds(30))
            var request = HTTPClientRequestBuilder.form(server.url("/introspect"), body: "token=slow")
            request.headers.add(name: "Authorization", value: TestEncoding.basic(id: "demo-client", secret: "demo-secret"))
            let clock = ContinuousClock()
            let start = clock.now
            let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
            let headersArrived = clock.now - start
            #expect(response.status.code == 200)
            #expect(response.headers["Content-Length"].isEmpty)
            #expect(response.headers["Transfer-Encoding"] == ["chunked"])
            var parts = 0
            var body = ""
            for try await part in response.body {
                parts += 1
                body += String(buffer: part)
            }
            let bodyArrived = clock.now - start
            #expect(body == #"{"active":true,"sub":"slow"}"#)
            #expect(parts >= 2)
            // The last of seven chunks leaves no earlier than seven 30 ms intervals after the request
            // (a lower bound only: a loaded machine can only make it later).
            #expect(bodyArrived >= .milliseconds(150))
            #expect(headersArrived < bodyArrived)
        }
    }

    @Test func hangTimesOutTheClientAndEndsWhenTheModeIsNormalAgain() async throws {
        let clock = ContinuousClock()
        var bodyEnded = clock.now
        try await RunningProvider.run(provider) { server in
            let token = provider.issueToken(clientID: "demo-client")
            provider.failureMode = .hang
            await #expect(throws: HTTPClientError.deadlineExceeded) {
                try await server.introspect(token, timeout: .milliseconds(300))
            }
            #expect(provider.introspectionCount == 1)
            provider.failureMode = .normal
            let afterwards = try await server.introspect(token)
            #expect(afterwards["active"] == .bool(true))
            bodyEnded = clock.now
        }
        // Generous on purpose: it tells "not blocked by the earlier hang" from "blocked", not speed.
        #expect(clock.now - bodyEnded < .seconds(10))
    }

    @Test func aHangingRequestIsAnsweredNormallyOnceTheModeChanges() async throws {
        try await RunningProvider.run(provider) { server in
            let token = provider.issueToken(clientID: "demo-client", subject: "bob")
            provider.failureMode = .hang
            async let reply = server.introspect(token, timeout: .seconds(5))
            try await waitUntil { provider.introspectionCount == 1 }
            try await Task.sleep(for: .milliseconds(100))
            provider.failureMode = .normal
            let answer = try await reply
            #expect(answer.status == 200)
            #expect(answer["sub"] == .string("bob"))
        }
    }

    @Test func shutdownIsNotBlockedByAHangingRequest() async throws {
        let clock = ContinuousClock()
        var shutdownStarted = clock.now
        try await RunningProvider.run(provider) { server in
            provider.failureMode = .hang
            async let reply = server.introspect("anything", timeout: .seconds(10))
            try await waitUntil { provider.introspectionCount == 1 }
            shutdownStarted = clock.now
            await server.shutdown()
            // Still hanging when shutdown began: the provider answers 503 and closes.
            #expect(try await reply.status == 503)
        }
        // Generous on purpose: it tells "shutdown ended the hang" from "blocked", not speed.
        #expect(clock.now - shutdownStarted < .seconds(10))
    }

    /// Polls `condition` every 10 ms for up to 5 s.
    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() {
            try await Task.sleep(for: .milliseconds(10))
        }
        try #require(condition())
    }
}
