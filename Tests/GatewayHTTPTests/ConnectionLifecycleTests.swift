import DevIdentityProvider
import Foundation
import Testing

/// A connection's lifecycle counts requests of both paths: the idle timeout starts after the
/// last request or answer, whether the event-loop fast path or Hummingbird answered it, and
/// answers to HEAD keep the connection's framing whichever path wrote them.
@Suite struct ConnectionLifecycleTests {
    @Test func aConnectionBusyOnTheFastPathOutlivesTheIdleTimeoutAndClosesWhenIdle() async throws {
        try await LiveStack.run(["IDLE_TIMEOUT": "1s"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            #expect(try await stack.auth(bearer: token).status == 200)
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            // Cache hits for about twice the idle timeout, on one connection.
            var statuses: [String] = []
            for _ in 0..<8 {
                connection.send("GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n\r\n")
                let (answers, closed) = await connection.responses(1)
                #expect(!closed, "a connection in use is not idle")
                statuses += answers.map { String($0.prefix(12)) }
                try await Task.sleep(for: .milliseconds(250))
            }
            #expect(statuses == Array(repeating: "HTTP/1.1 200", count: 8))
            #expect(await connection.closedByPeer(), "an idle connection is closed after IDLE_TIMEOUT")
        }
    }

    @Test func answersToHEADHaveNoBodyOnEitherPath() async throws {
        try await LiveStack.run(["AUTH_FAST_PATH": "false"]) { stack in
            let connection = try PipelinedHTTPConnection(port: stack.gatewayPort)
            // Hummingbird answers all three; the GET after the HEADs must still be read correctly.
            connection.send("HEAD /auth HTTP/1.1\r\nHost: t\r\n\r\nHEAD /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let (heads, closed) = await connection.responses(2, headOnly: true)
            #expect(!closed)
            #expect(heads.count == 2 && heads.allSatisfy { $0.hasSuffix("\r\n\r\n") })
            #expect(heads.first?.hasPrefix("HTTP/1.1 401") == true)
            connection.send("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n")
            let (gets, _) = await connection.responses(1)
            #expect(gets.first?.hasPrefix("HTTP/1.1 200") == true)
        }
    }
}
