import DevIdentityProvider
import NIOHTTP1
import Testing

/// Clients that are slow or stop halfway. A request head trickled byte by byte (slowloris) is cut
/// off by `REQUEST_HEADER_TIMEOUT` with 408 on both listeners while everyone else is served; a
/// connection that never speaks is closed; a kept-alive connection waiting between requests is
/// left alone; a half-closed connection is answered or closed, never kept.
@Suite struct SlowClientTests {
    static let shortDeadline = ["REQUEST_HEADER_TIMEOUT": "1s"]
    /// A head whose second half takes 12 s to arrive at one byte every 200 ms: longer than the
    /// connection's 10 s read timeout, so it never completes while a test waits for the 408.
    static let slowHead = (quick: "GET /auth HTTP/1.1\r\nHost: t\r\n", trickled: "X-Slow: \(String(repeating: "a", count: 48))\r\n\r\n")

    /// Sends the quick part of the head, then the rest one byte every 200 ms until the gateway
    /// answers or closes; returns what it answered.
    static func trickleSlowHead(to connection: PipelinedHTTPConnection) async -> (responses: [String], closed: Bool) {
        connection.send(slowHead.quick)
        let trickling = Task {
            for byte in slowHead.trickled {
                try await Task.sleep(for: .milliseconds(200))
                guard connection.send(String(byte)) else { return }
            }
        }
        defer { trickling.cancel() }
        return await connection.responses(1)
    }

    @Test func aTrickledHeadGets408AndAClosedConnectionWhileOthersAreServed() async throws {
        try await LiveStack.run(Self.shortDeadline) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            let slow = try PipelinedHTTPConnection(port: stack.gatewayPort)
            async let cutOff = Self.trickleSlowHead(to: slow)
            let meanwhile = try await stack.auth(bearer: token)
            #expect(meanwhile.status == 200)
            let withoutToken = try await stack.request(.GET, "/auth")
            #expect(withoutToken.status == 401)

            let (answers, _) = await cutOff
            #expect(answers.first?.hasPrefix("HTTP/1.1 408") == true, "\(answers)")
            #expect(answers.first?.contains("Connection: close") == true)
            #expect(await slow.closedByPeer())
        }
    }

    @Test func aTrickledHeadAfterAnAnsweredRequestOnTheSameConnectionGets408() async throws {
        try await LiveStack.run(Self.shortDeadline) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: token).status == 200)  // cached: the fast path
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            connection.send(PipelinedHTTPConnection.authRequest(bearer: token))
            let (first, _) = await connection.responses(1)
            #expect(first.first?.hasPrefix("HTTP/1.1 200") == true)
            let (answers, _) = await Self.trickleSlowHead(to: connection)
            #expect(answers.first?.hasPrefix("HTTP/1.1 408") == true, "\(answers)")
            #expect(await connection.closedByPeer())
        }
    }

    @Test func theProxyListenerCutsOffATrickledHeadToo() async throws {
        try await ProxyStack.run({ _ in Self.shortDeadline }) { proxy in
            let slow = try PipelinedHTTPConnection(port: proxy.proxyPort)
            async let cutOff = Self.trickleSlowHead(to: slow)
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let meanwhile = try PipelinedHTTPConnection(port: proxy.proxyPort)
            meanwhile.send("GET /x HTTP/1.1\r\nHost: t\r\nDestination: \(proxy.destination)\r\nAuthorization: Bearer \(token)\r\n\r\n")
            let (served, _) = await meanwhile.responses(1)
            #expect(served.first?.hasPrefix("HTTP/1.1 200") == true, "forwarded: \(served)")

            let (answers, _) = await cutOff
            #expect(answers.first?.hasPrefix("HTTP/1.1 408") == true, "\(answers)")
            #expect(await slow.closedByPeer())
        }
    }

    @Test func aKeptAliveConnectionIdleBetweenRequestsOutlivesTheHeaderDeadline() async throws {
        try await LiveStack.run(Self.shortDeadline) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            let request = PipelinedHTTPConnection.authRequest(bearer: token)
            connection.send(request)
            let (first, _) = await connection.responses(1)
            #expect(first.first?.hasPrefix("HTTP/1.1 200") == true)
            // Idle for longer than the header deadline: neither an answer nor a close arrives.
            #expect(await connection.staysSilent(milliseconds: 2_500))
            connection.send(request)
            let (second, closed) = await connection.responses(1)
            #expect(!closed && second.first?.hasPrefix("HTTP/1.1 200") == true, "\(second)")
        }
    }

    @Test func aConnectionThatSendsNothingIsClosedWithoutAnAnswer() async throws {
        try await LiveStack.run(Self.shortDeadline) { stack in
            let silent = try PipelinedHTTPConnection(port: stack.gatewayPort)
            // The end of the stream, not a byte (closedByPeer is false on data, and on its own
            // 10 s read timeout).
            #expect(await silent.closedByPeer())
        }
    }

    /// A client that stops sending halfway through a head: the head can never complete, so the
    /// gateway answers 400 (NIO's decoder reports the truncated head like any unparseable
    /// request) and closes at once, without waiting for any timeout.
    @Test func aHalfClosedConnectionWithAPartialHeadGets400AndIsClosed() async throws {
        try await LiveStack.run { stack in
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            connection.send("GET /auth HTTP/1.1\r\nHost: t\r\nAuthor")
            connection.finishSending()
            let (answers, _) = await connection.responses(1)
            #expect(answers.first?.hasPrefix("HTTP/1.1 400") == true, "\(answers)")
            #expect(answers.first?.contains("Connection: close") == true)
            #expect(await connection.closedByPeer())

            let normal = try await stack.request(.GET, "/healthz")
            #expect(normal.status == 200)
        }
    }

    /// A client that half-closes right after a complete request (as `curl`-like tools and some
    /// proxies do to say "no more requests") still gets its answer, on the fast path and on the
    /// async one, and then the connection closes: HTTP/1.1 allows a response after the client's
    /// half-close, and the request is complete, so there is no reason to drop it.
    @Test func aCompleteRequestThenAHalfCloseIsAnsweredThenClosed() async throws {
        try await LiveStack.run { stack in
            for token in try await stack.cachedAndFreshToken() {
                let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
                connection.send(PipelinedHTTPConnection.authRequest(bearer: token))
                connection.finishSending()
                let (answers, _) = await connection.responses(1)
                #expect(answers.first?.hasPrefix("HTTP/1.1 200") == true, "\(answers)")
                #expect(await connection.closedByPeer())
            }
        }
    }
}
