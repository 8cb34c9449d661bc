#if canImport(Glibc)
import Glibc
#endif
import DevIdentityProvider
import Foundation
import NIOHTTP1
import Testing

/// Many connections that say nothing. Thousands of them do not keep the gateway from serving;
/// beyond `MAX_CONNECTIONS` new connections wait in the listen backlog (accepted, by the kernel,
/// not by the gateway) and are served once others close; and `REQUEST_HEADER_TIMEOUT` closes
/// silent ones, so they cannot hold the slots for long.
@Suite(.serialized) struct IdleConnectionTests {
    /// Connections opened on a Dispatch thread: `connect` may block while the backlog is full.
    static func open(_ count: Int, port: Int) async throws -> [PipelinedHTTPConnection] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try (0..<count).map { _ in try PipelinedHTTPConnection(port: port) } })
            }
        }
    }

    /// Idle connections this process can hold: each takes a descriptor here and one in the
    /// gateway, which runs in the same process; a margin stays for everything else.
    static func affordableConnections(_ wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 100 }
        return max(100, min(wanted, (Int(limit.rlim_cur) - 1_000) / 2))
    }

    /// `count` connections that say nothing, then one more with a request for a valid token.
    static func idleConnectionsThenARequest(_ count: Int, stack: LiveStack) async throws -> (idle: [PipelinedHTTPConnection], waiting: PipelinedHTTPConnection) {
        let token = stack.provider.issueToken(clientID: "app")
        let idle = try await open(count, port: stack.gatewayPort)
        let waiting = try PipelinedHTTPConnection(port: stack.gatewayPort)  // the kernel completes the handshake
        waiting.send(PipelinedHTTPConnection.authRequest(bearer: token))
        return (idle, waiting)
    }

    @Test func thousandsOfIdleConnectionsDoNotStopTheGatewayServing() async throws {
        let count = Self.affordableConnections(2_000)
        try await LiveStack.run(["REQUEST_HEADER_TIMEOUT": "5m"]) { stack in
            let token = stack.provider.issueToken(clientID: "app")
            let idle = try await Self.open(count, port: stack.gatewayPort)
            let fresh = try await stack.auth(bearer: token)
            #expect(fresh.status == 200, "introspected while \(count) connections are open")
            let cached = try await stack.auth(bearer: token)
            #expect(cached.status == 200)
            let health = try await stack.request(.GET, "/healthz")
            #expect(health.status == 200)
            // Every idle connection is still open, and nothing was sent on any.
            var silent = 0
            for connection in idle where await connection.staysSilent(milliseconds: 0) { silent += 1 }
            #expect(silent == count)
            for connection in idle { connection.close() }
            let after = try await stack.auth(bearer: token)
            #expect(after.status == 200)
        }
    }

    @Test func beyondMaxConnectionsNewConnectionsWaitUntilIdleOnesClose() async throws {
        try await LiveStack.run(["MAX_CONNECTIONS": "100", "REQUEST_HEADER_TIMEOUT": "5m"]) { stack in
            // More than the limit: NIO accepts up to 4 connections in one read, so the gateway
            // may hold a few over 100; 120 fill it whatever the batches.
            let (idle, waiting) = try await Self.idleConnectionsThenARequest(120, stack: stack)
            #expect(await waiting.staysSilent(milliseconds: 1_500), "not accepted, so not answered, while the idle ones hold every slot")

            for connection in idle { connection.close() }
            let (answers, _) = await waiting.responses(1)
            #expect(answers.first?.hasPrefix("HTTP/1.1 200") == true, "served once the idle connections closed: \(answers)")
            let after = try await stack.request(.GET, "/healthz")
            #expect(after.status == 200)
        }
    }

    @Test func theProxyListenerHasItsOwnConnectionLimit() async throws {
        try await ProxyStack.run({ _ in ["MAX_CONNECTIONS": "100", "REQUEST_HEADER_TIMEOUT": "5m"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let idle = try await Self.open(120, port: proxy.proxyPort)
            let waiting = try PipelinedHTTPConnection(port: proxy.proxyPort)
            waiting.send("GET /x HTTP/1.1\r\nHost: t\r\nDestination: \(proxy.destination)\r\nAuthorization: Bearer \(token)\r\n\r\n")
            #expect(await waiting.staysSilent(milliseconds: 1_500), "not accepted while the idle ones hold every slot")
            let main = try await proxy.stack.auth(bearer: token)
            #expect(main.status == 200, "the main listener has its own limit")

            for connection in idle { connection.close() }
            let (answers, _) = await waiting.responses(1)
            #expect(answers.first?.hasPrefix("HTTP/1.1 200") == true, "forwarded once the idle connections closed: \(answers)")
        }
    }

    @Test func theHeaderDeadlineFreesSlotsHeldBySilentConnections() async throws {
        try await LiveStack.run(["MAX_CONNECTIONS": "100", "REQUEST_HEADER_TIMEOUT": "1s"]) { stack in
            let (idle, waiting) = try await Self.idleConnectionsThenARequest(150, stack: stack)
            // No client closes anything: the gateway closes the silent connections, takes the
            // waiting ones from the backlog in turn, and answers the request.
            let (answers, _) = await waiting.responses(1)
            try #require(answers.first?.hasPrefix("HTTP/1.1 200") == true, "\(answers)")
            var closedByTheGateway = 0
            for connection in idle where await connection.closedByPeer() { closedByTheGateway += 1 }
            #expect(closedByTheGateway == idle.count)
        }
    }
}
