import DevIdentityProvider
import Testing

/// The event-loop fast path at the HTTP/1 level: pipelining keeps answers in order, HTTP/1.0
/// and `Connection: close` are honoured, and a hit answers exactly like the async path.
@Suite struct FastPathTests {
    @Test func pipelinedRequestsAreAnsweredInOrderAcrossBothPaths() async throws {
        try await LiveStack.run { stack in
            let cached = stack.provider.issueToken(clientID: "app", subject: "cached-user")
            let fresh = stack.provider.issueToken(clientID: "app", subject: "fresh-user")
            #expect(try await stack.auth(bearer: cached).status == 200)
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            // A miss (async path), then a hit (fast path), then no token: sent in one go.
            connection.send(
                "GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(fresh)\r\n\r\n"
                    + "GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(cached)\r\n\r\n"
                    + "GET /auth HTTP/1.1\r\nHost: t\r\n\r\n")
            let (responses, _) = await connection.responses(3)
            try #require(responses.count == 3)
            #expect(responses[0].hasPrefix("HTTP/1.1 200") && responses[0].contains("X-Auth-Subject: fresh-user"))
            #expect(responses[1].hasPrefix("HTTP/1.1 200") && responses[1].contains("X-Auth-Subject: cached-user"))
            #expect(responses[2].hasPrefix("HTTP/1.1 401"))
        }
    }

    @Test func connectionCloseAndHTTP10AreHonouredOnTheFastPath() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: token).status == 200)

            let closing = try PipelinedHTTPConnection(port: stack.gatewayPort)
            closing.send("GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\nConnection: close\r\n\r\n")
            let (closed, _) = await closing.responses(1)
            #expect(closed.first?.hasPrefix("HTTP/1.1 200") == true)
            #expect(closed.first?.contains("Connection: close") == true)
            #expect(await closing.closedByPeer())

            let old = try PipelinedHTTPConnection(port: stack.gatewayPort)
            old.send("GET /auth HTTP/1.0\r\nAuthorization: Bearer \(token)\r\n\r\n")
            let (answers, _) = await old.responses(1)
            #expect(answers.first?.hasPrefix("HTTP/1.0 200") == true)
            #expect(await old.closedByPeer(), "HTTP/1.0 without keep-alive ends with the response")

            let keepAlive = try PipelinedHTTPConnection(port: stack.gatewayPort)
            keepAlive.send("GET /auth HTTP/1.0\r\nAuthorization: Bearer \(token)\r\nConnection: keep-alive\r\n\r\n")
            let (first, _) = await keepAlive.responses(1)
            #expect(first.first?.contains("Connection: keep-alive") == true)
            keepAlive.send("HEAD /auth HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let (second, closedEarly) = await keepAlive.responses(1, headOnly: true)
            #expect(!closedEarly && second.first?.hasPrefix("HTTP/1.0 401") == true)
            #expect(second.first?.hasSuffix("\r\n\r\n") == true, "a HEAD answer has no body")
        }
    }

    @Test func aRequestBodyIsIgnoredNotParsedAsTheNextRequest() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: token).status == 200)
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            let body = "GET /auth HTTP/1.1\r\n\r\n"  // looks like a request, is a body
            connection.send(
                "POST /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
                    + "GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n\r\n")
            let (responses, _) = await connection.responses(2)
            #expect(responses.count == 2 && responses.allSatisfy { $0.hasPrefix("HTTP/1.1 200") })
        }
    }
}
