import DevIdentityProvider
import Testing

/// Hostile or broken clients get a precise status and a closed connection, never a crash, and
/// the gateway keeps answering everyone else.
@Suite struct HostileClientTests {
    @Test func oversizeHeadersGet431() async throws {
        try await LiveStack.run { stack in
            let huge = try PipelinedHTTPConnection(port: stack.gatewayPort)
            huge.send("GET /auth HTTP/1.1\r\nHost: t\r\nX-Padding: \(String(repeating: "a", count: 20 * 1024))\r\n\r\n")
            let (answers, _) = await huge.responses(1)
            #expect(answers.first?.hasPrefix("HTTP/1.1 431") == true)
            #expect(await huge.closedByPeer())

            let many = try PipelinedHTTPConnection(port: stack.gatewayPort)
            let headers = (0..<300).map { "X-H\($0): v\r\n" }.joined()
            many.send("GET /auth HTTP/1.1\r\nHost: t\r\n\(headers)\r\n")
            let (manyAnswers, _) = await many.responses(1)
            #expect(manyAnswers.first?.hasPrefix("HTTP/1.1 431") == true)

            let token = stack.provider.issueToken(clientID: "app")
            let normal = try await stack.auth(bearer: token)
            #expect(normal.status == 200, "others are still served")
        }
    }

    @Test func garbageGets400AndAClosedConnection() async throws {
        try await LiveStack.run { stack in
            for garbage in ["NOT HTTP AT ALL\r\n\r\n", "GET /auth HTTP/9.9\r\n\r\n", "GET /auth HTTP/1.1\r\nBad Header\r\n\r\n", "\u{0}\u{1}\u{2}\r\n\r\n"] {
                let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
                connection.send(garbage)
                let (answers, closed) = await connection.responses(1)
                #expect(answers.first?.hasPrefix("HTTP/1.1 400") == true || (answers.isEmpty && closed), "\(garbage.debugDescription)")
                #expect(await connection.closedByPeer())
            }
            let token = stack.provider.issueToken(clientID: "app")
            let normal = try await stack.auth(bearer: token)
            #expect(normal.status == 200)
        }
    }

    @Test func connectionsBeyondTheLimitWaitUntilOthersClose() async throws {
        try await LiveStack.run(["MAX_CONNECTIONS": "2"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            let first = try PipelinedHTTPConnection(port: stack.gatewayPort)
            let second = try PipelinedHTTPConnection(port: stack.gatewayPort)
            for connection in [first, second] {
                connection.send("GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n\r\n")
                let (answers, _) = await connection.responses(1)
                #expect(answers.first?.hasPrefix("HTTP/1.1 200") == true)
            }
            // The third connection is not accepted while two are open; it is served once one closes.
            let third = try PipelinedHTTPConnection(port: stack.gatewayPort)
            third.send("GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n\r\n")
            first.close()
            let (answers, _) = await third.responses(1)
            #expect(answers.first?.hasPrefix("HTTP/1.1 200") == true)
        }
    }
}

extension HostileClientTests {
    @Test func garbageAfterPipelinedRequestsIsAnswered400AfterTheirAnswers() async throws {
        try await LiveStack.run { stack in
            for token in try await stack.cachedAndFreshToken() {
                let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
                connection.send(PipelinedHTTPConnection.authRequest(bearer: token) + "NOT HTTP AT ALL\r\n\r\n")
                let (answers, _) = await connection.responses(2)
                #expect(answers.count == 2)
                #expect(answers.first?.hasPrefix("HTTP/1.1 200") == true, "the request before the garbage is answered first: \(answers)")
                #expect(answers.last?.hasPrefix("HTTP/1.1 400") == true)
                #expect(await connection.closedByPeer())
            }
        }
    }

    @Test func theProxyListenerAnswersGarbage400AfterPipelinedRequests() async throws {
        try await ProxyStack.run { proxy in
            for garbage in ["NOT HTTP AT ALL\r\n\r\n", "GET /x HTTP/1.1\r\nBad Header\r\n\r\n"] {
                let connection = try PipelinedHTTPConnection(port: proxy.proxyPort)
                connection.send(garbage)
                let (answers, _) = await connection.responses(1)
                #expect(answers.first?.hasPrefix("HTTP/1.1 400") == true, "\(garbage.debugDescription): \(answers)")
                #expect(await connection.closedByPeer())
            }
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let connection = try PipelinedHTTPConnection(port: proxy.proxyPort)
            connection.send(
                "GET /x HTTP/1.1\r\nHost: t\r\nDestination: \(proxy.destination)\r\nAuthorization: Bearer \(token)\r\n\r\nNOT HTTP AT ALL\r\n\r\n")
            let (answers, _) = await connection.responses(2)
            #expect(answers.count == 2 && answers[0].hasPrefix("HTTP/1.1 200") && answers[1].hasPrefix("HTTP/1.1 400"), "\(answers)")
            #expect(await connection.closedByPeer())
        }
    }
}
