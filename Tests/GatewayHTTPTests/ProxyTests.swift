import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization
import Testing

@testable import GatewayHTTP

/// The Destination proxy (`PROXY_PORT`) against a live gateway, a live identity provider and a
/// live upstream that records what reaches it.
@Suite struct ProxyTests {
    static let bodyMethods: Set<String> = ["POST", "PUT", "PATCH"]

    @Test(arguments: [HTTPMethod.GET, .POST, .PUT, .DELETE, .HEAD, .PATCH])
    func methodPathQueryHeadersAndBodyAreForwarded(_ method: HTTPMethod) async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "orders-app", scope: "orders:read", subject: "alice")
            let body = Self.bodyMethods.contains(method.rawValue) ? "payload of \(method.rawValue) ü\n" : nil
            let answer = try await proxy.send(
                method, "/orders/42?expand=items&q=%26x%20y", token: token,
                headers: [("X-Custom", "custom value"), ("Accept", "application/json"), ("Cookie", "a=1; b=2")], body: body)
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "X-Echo-Method") == method.rawValue)
            #expect(answer.body == (method == .HEAD ? "" : body ?? ""))
            let seen = try #require(proxy.upstream.last)
            #expect(proxy.upstream.count == 1)
            #expect(seen.method == method.rawValue)
            #expect(seen.target == "/orders/42?expand=items&q=%26x%20y")
            #expect(seen.values("Host") == ["127.0.0.1:\(proxy.upstreamPort)"])
            #expect(seen.first("X-Custom") == "custom value" && seen.first("Accept") == "application/json")
            #expect(seen.first("Cookie") == "a=1; b=2")
            #expect(seen.values("Authorization").isEmpty, "the bearer token stays with the gateway")
            #expect(seen.values("Destination").isEmpty)
            #expect(seen.values("X-Forwarded-For") == ["127.0.0.1"])
            #expect(seen.values("X-Forwarded-Proto") == ["http"])
            #expect(seen.values("X-Forwarded-Host") == ["127.0.0.1:\(proxy.proxyPort)"])
            #expect(seen.values("X-Auth-Subject") == ["alice"] && seen.first("X-Auth-Scope") == "orders:read")
            #expect(seen.first("X-Auth-Client-Id") == "orders-app")
            let jwt = try #require(seen.first("X-JWT"))
            #expect(seen.values("X-JWT").count == 1)
            if method == .GET {
                // Verified independently once (PyJWT runs as a process): the rest of the JWT tests live with /auth's.
                #expect(try PyJWT.decode(jwt, secret: LiveStack.jwtSecret)["sub"] as? String == "alice")
            }
            if let body {
                #expect(seen.first("Content-Length") == String(body.utf8.count))
            }
        }
    }

    /// The original project's README: `curl --header "Destination: https://my-target-url.com"
    /// --header "Authorization: Bearer …"`, here with a real curl.
    @Test func theOriginalProjectsCurlExampleWorks() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app", subject: "dacamposol")
            let (status, text) = try await Self.run([
                "curl", "-sS", "-i", "--max-time", "10", "--header", "Destination: \(proxy.destination)",
                "--header", "Authorization: Bearer \(token)", "http://127.0.0.1:\(proxy.proxyPort)/example/path",
            ])
            #expect(status == 0)
            #expect(text.hasPrefix("HTTP/1.1 200"), "\(text)")
            #expect(text.lowercased().contains("x-echo-target: /example/path"))
            #expect(proxy.upstream.last?.first("X-Auth-Subject") == "dacamposol")
        }
    }

    /// Runs a command on a thread of its own (waiting on a process must not block the
    /// concurrency pool the servers under test run on) and returns its exit status and output.
    static func run(_ arguments: [String]) async throws -> (Int32, String) {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
                process.arguments = arguments
                let output = Pipe()
                process.standardOutput = output
                do {
                    try process.run()
                } catch {
                    continuation.resume(throwing: error)
                    return
                }
                let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, text))
            }
        }
    }

    @Test func aDestinationPathPrefixesTheRequestTarget() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let answer = try await proxy.send(.GET, "/a%2Fb/c?x=1", to: .value("\(proxy.destination)/base/"), token: token)
            #expect(answer.status == 200)
            #expect(proxy.upstream.last?.target == "/base/a%2Fb/c?x=1")
        }
    }

    /// The request target cannot move the request to another host, however it is spelled, and
    /// reaches the destination byte for byte or not at all.
    @Test func theRequestTargetNeverNamesTheHostAndIsNeverRewritten() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let headers = [("Host", "gateway.example"), ("Destination", proxy.destination), ("Authorization", "Bearer \(token)")]
            let forwarded = [
                "//evil.example/x": "//evil.example/x", "/@evil.example/x": "/@evil.example/x",
                "/x?u=http://evil.example/": "/x?u=http://evil.example/", "/a/../b/./c;p=1?x=%2F&y=a+b": "/a/../b/./c;p=1?x=%2F&y=a+b",
                // The absolute form's host is not a destination: only its path and query are kept.
                "http://evil.example/abs?x=1": "/abs?x=1",
            ]
            for (target, expected) in forwarded {
                let answer = try await RawHTTPConnection.exchange(port: proxy.proxyPort, [.init(method: "GET", target: target, headers: headers)])[0]
                #expect(answer.status == 200, "\(target)")
                #expect(proxy.upstream.last?.target == expected, "\(target)")
            }
            let count = proxy.upstream.count
            for target in ["/a|b", "/q?x={\"a\":1}", "/%ZZ", "/ü", "*"] {
                let answer = try await RawHTTPConnection.exchange(port: proxy.proxyPort, [.init(method: "GET", target: target, headers: headers)])[0]
                #expect(answer.status == 400, "\(target)")
            }
            #expect(proxy.upstream.count == count, "a target a URL cannot carry is refused, not rewritten")
        }
    }

    /// 200 MB each way at once (the upstream echoes as it reads), generated and checked on the fly:
    /// the process must not grow by anything near that.
    @Test func largeBodiesStreamBothWaysInBoundedMemory() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let size = 200 * 1024 * 1024
            let before = try ProxyStack.residentBytes()
            let peak = PeakMemory()
            let sampler = Task {
                while !Task.isCancelled {
                    peak.record(try ProxyStack.residentBytes())
                    try await Task.sleep(for: .milliseconds(20))
                }
            }
            defer { sampler.cancel() }

            var request = proxy.request(.POST, "/echo", token: token)
            request.body = .stream(PatternBytes(count: size), length: .known(Int64(size)))
            let response = try await proxy.stack.client.execute(request, timeout: .seconds(300))
            #expect(response.status == .ok)
            var checker = PatternBytes.Checker()
            for try await chunk in response.body { checker.check(chunk) }
            #expect(checker.received == size)
            #expect(checker.mismatchAt == nil, "the body must arrive byte for byte")

            // Downloads alone (the upstream generates) and uploads alone (the upstream counts).
            let download = proxy.request(.GET, "/download/\(size / 4)", token: token)
            let downloaded = try await proxy.stack.client.execute(download, timeout: .seconds(120))
            var downloadChecker = PatternBytes.Checker()
            for try await chunk in downloaded.body { downloadChecker.check(chunk) }
            #expect(downloadChecker.received == size / 4 && downloadChecker.mismatchAt == nil)
            var upload = proxy.request(.PUT, "/count", token: token)
            upload.body = .stream(PatternBytes(count: size / 4), length: .unknown)
            let counted = try await proxy.stack.client.execute(upload, timeout: .seconds(120))
            #expect(String(buffer: try await counted.body.collect(upTo: 64)) == String(size / 4), "a chunked upload arrives whole")

            sampler.cancel()
            let growth = peak.value - before
            #expect(growth < 100 * 1024 * 1024, "resident memory grew by \(growth / 1024 / 1024) MB while 200 MB passed each way")
        }
    }

    /// The destination answers before it has read the upload: the client still gets the answer,
    /// the rest of its body is read and dropped, and the connection serves the next request.
    @Test func anEarlyAnswerDuringAnUploadKeepsTheConnectionUsable() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let size = 20 * 1024 * 1024
            var request = proxy.request(.PUT, "/status/413", token: token)
            request.body = .stream(PatternBytes(count: size), length: .known(Int64(size)))
            let response = try await proxy.stack.client.execute(request, timeout: .seconds(60))
            #expect(response.status.code == 413)
            #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "status 413\n")
            for _ in 0..<3 {
                #expect(try await proxy.send(.GET, "/after", token: token).status == 200)
            }
            #expect(proxy.upstream.requests.map(\.target) == ["/status/413", "/after", "/after", "/after"])
        }
    }

    /// A client that goes away in the middle of a chunked upload: the destination must not get a
    /// request that looks complete.
    @Test func anAbandonedUploadNeverArrivesAsComplete() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: proxy.proxyPort) { channel in
                    channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
                }
            try await channel.executeThenClose { _, outbound in
                let head = "POST /count HTTP/1.1\r\nHost: gateway.example\r\nDestination: \(proxy.destination)\r\n"
                    + "Authorization: Bearer \(token)\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n"
                try await outbound.write(ByteBuffer(string: head))
                // Give the proxy time to open the exchange and pass the first chunk on.
                for _ in 0..<200 where proxy.upstream.count == 0 { try await Task.sleep(for: .milliseconds(10)) }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(proxy.upstream.count == 1, "the exchange had begun")
            try await Task.sleep(for: .milliseconds(300))
            #expect(proxy.upstream.countedBodies.isEmpty, "a cut-off body must not be delivered as a complete one")
            #expect(try await proxy.send(.GET, "/", token: token).status == 200, "the proxy carries on")
        }
    }

    @Test func theAllowlistDecidesBeforeAnyConnection() async throws {
        let closed = try LiveStack.closedPort()
        try await ProxyStack.run({ port in ["DESTINATION_ALLOWLIST": "http://127.0.0.1:\(port), http://*.gateway.invalid:\(port)"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let port = proxy.upstreamPort
            let refusals: [(String, Int)] = [
                ("http://127.0.0.1:\(port).evil.test", 400),
                ("http://127.0.0.1.evil.test:\(port)", 403),
                ("http://api.gateway.invalid.evil.test:\(port)", 403),
                ("http://gateway.invalid:\(port)", 403),
                ("http://127.0.0.1:\(port)@evil.test", 400),
                ("http://evil.test@127.0.0.1:\(port)", 400),
                ("http://127.0.0.1@127.0.0.1:\(port)", 400),
                ("http://user:pass@127.0.0.1:\(port)", 400),
                ("https://127.0.0.1:\(port)", 403),
                ("http://127.0.0.1:\(closed)", 403),
                ("http://127.0.0.1", 403),
                ("http://localhost:\(port)", 403),
                ("http://[::1]:\(port)", 403),
                ("http://2130706433:\(port)", 400),
                ("http://0x7f.0.0.1:\(port)", 400),
                ("http://127.1:\(port)", 400),
                ("http://127.0.0.1:\(port)\\@evil.test", 400),
                ("http://127.0.0.1:\(port)#@evil.test", 400),
                ("http://127.0.0.1:\(port)/?next=1", 400),
                ("ftp://127.0.0.1:\(port)", 400),
                ("file:///etc/passwd", 400),
                ("127.0.0.1:\(port)", 400),
                ("/relative", 400),
                ("http://bücher.example:\(port)", 400),
            ]
            for (destination, status) in refusals {
                let answer = try await proxy.send(.GET, "/secret", to: .value(destination), token: token)
                #expect(answer.status == status, "\(destination)")
                #expect(answer.headers.first(name: "X-JWT") == nil)
            }
            #expect(try await proxy.send(.GET, "/", to: .absent, token: token).status == 400)
            #expect(try await proxy.send(.GET, "/", token: token, headers: [("Destination", proxy.destination)]).status == 400, "two Destination headers")
            #expect(proxy.upstream.count == 0, "no refused request may reach a destination")
            #expect(proxy.stack.provider.introspectionCount == 0, "a refused destination is not worth an introspection")

            // Spellings of the allowed origin are the allowed origin.
            for allowed in ["HTTP://127.0.0.1:\(port)", "http://127.0.0.1.:\(port)/", "http://127.0.0.1:\(port)/"] {
                #expect(try await proxy.send(.GET, "/", to: .value(allowed), token: token).status == 200, "\(allowed)")
            }
            #expect(proxy.upstream.count == 3)
            // A pattern lets a subdomain through to the connection (this one never resolves: 502, not 403).
            #expect(try await proxy.send(.GET, "/", to: .value("http://echo.gateway.invalid:\(port)"), token: token).status == 502)
        }
    }

    @Test func theDestinationHeaderCanBeRenamed() async throws {
        try await ProxyStack.run({ _ in ["DESTINATION_HEADER": "X-Destination"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let ignored = try await proxy.send(.GET, "/", token: token)
            #expect(ignored.status == 400)
            #expect(ignored.body == "X-Destination header missing\n")
            let renamed = try await proxy.send(.GET, "/", to: .absent, token: token, headers: [("X-Destination", proxy.destination)])
            #expect(renamed.status == 200)
            #expect(proxy.upstream.last?.values("X-Destination").isEmpty == true)
        }
    }

    @Test func hopByHopHeadersStayBehindBothWays() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let request = RawHTTPConnection.Request(method: "GET", target: "/plain", headers: [
                ("Host", "gateway.example"), ("Destination", proxy.destination), ("Authorization", "Bearer \(token)"),
                ("Connection", "keep-alive, X-Named-By-Connection"), ("X-Named-By-Connection", "drop me"), ("Keep-Alive", "timeout=5"),
                ("TE", "trailers"), ("Trailer", "X-Checksum"), ("Upgrade", "example/1"), ("Proxy-Authorization", "Basic dXNlcjpwYXNz"),
                ("Proxy-Connection", "keep-alive"), ("X-Kept", "kept"),
            ])
            let answer = try await RawHTTPConnection.exchange(port: proxy.proxyPort, [request])[0]
            #expect(answer.status == 200)
            let seen = try #require(proxy.upstream.last)
            for name in ["Connection", "X-Named-By-Connection", "Keep-Alive", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Connection"] {
                #expect(seen.values(name).isEmpty, "\(name) must not be forwarded")
            }
            #expect(seen.first("X-Kept") == "kept")
            #expect(seen.first("X-Forwarded-Host") == "gateway.example")

            let hop = try await RawHTTPConnection.exchange(port: proxy.proxyPort, [
                .init(method: "GET", target: "/hop-by-hop", headers: [("Host", "gateway.example"), ("Destination", proxy.destination), ("Authorization", "Bearer \(token)")]),
            ])[0]
            #expect(hop.status == 200)
            #expect(hop.first("X-Upstream-Public") == "kept")
            for name in ["X-Upstream-Private", "Keep-Alive", "Proxy-Authenticate"] {
                #expect(hop.values(name).isEmpty, "\(name) must not come back")
            }
            #expect(hop.values("Connection").allSatisfy { !$0.contains("X-Upstream-Private") })
        }
    }

    @Test func forgedGrantHeadersAreReplaced() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app", subject: "alice")
            let answer = try await proxy.send(.GET, "/", token: token, headers: [
                ("X-JWT", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9."), ("X-Auth-Subject", "admin"), ("x-auth-scope", "admin:all"),
                ("X-Auth-Client-Id", "root"),
            ])
            #expect(answer.status == 200)
            let seen = try #require(proxy.upstream.last)
            let jwts = seen.values("X-JWT")
            #expect(jwts.count == 1)
            #expect(try PyJWT.decode(try #require(jwts.first), secret: LiveStack.jwtSecret)["sub"] as? String == "alice")
            #expect(seen.values("X-Auth-Subject") == ["alice"])
            #expect(seen.values("X-Auth-Scope").isEmpty, "the token has no scope: the client's claim is dropped, not kept")
            #expect(seen.values("X-Auth-Client-Id") == ["app"])
        }
    }

    @Test func aPassthroughJWTIsKeptOnlyWhenItVerifies() async throws {
        try await ProxyStack.run({ _ in ["ALLOW_JWT_PASSTHROUGH": "true"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app", subject: "carol")
            let jwt = try #require(try await proxy.stack.auth(bearer: token).headers.first(name: "X-JWT"))
            let introspections = proxy.stack.provider.introspectionCount
            let passed = try await proxy.send(.GET, "/", token: nil, headers: [("X-JWT", jwt)])
            #expect(passed.status == 200)
            #expect(proxy.upstream.last?.values("X-JWT") == [jwt])
            #expect(proxy.upstream.last?.first("X-Auth-Subject") == "carol")
            #expect(proxy.stack.provider.introspectionCount == introspections)
            let forged = String(jwt.dropLast(2)) + (jwt.hasSuffix("AA") ? "BB" : "AA")
            #expect(try await proxy.send(.GET, "/", token: nil, headers: [("X-JWT", forged)]).status == 401)
            #expect(proxy.upstream.count == 1)
        }
    }

    @Test func authorizationIsForwardedOnlyWhenConfigured() async throws {
        try await ProxyStack.run({ _ in ["FORWARD_AUTHORIZATION": "true"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let answer = try await proxy.send(.GET, "/", token: token)
            #expect(answer.status == 200)
            #expect(proxy.upstream.last?.values("Authorization") == ["Bearer \(token)"])
        }
    }

    @Test func anUnreachableDestinationGets502() async throws {
        let reserved = try ReservedPort()
        defer { reserved.release() }
        let closed = reserved.port
        try await ProxyStack.run({ _ in ["DESTINATION_ALLOWLIST": "http://127.0.0.1:\(closed)"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            for method in [HTTPMethod.GET, .POST] {
                let answer = try await proxy.send(
                    method, "/", to: .value("http://127.0.0.1:\(closed)"), token: token, body: method == .POST ? "lost" : nil)
                #expect(answer.status == 502)
                #expect(answer.body == "destination unreachable\n")
            }
            #expect(proxy.stack.logText.contains("destination gave no response"))
        }
    }

    @Test func aSlowDestinationGets504() async throws {
        try await ProxyStack.run({ _ in ["PROXY_TIMEOUT": "1s"] }) { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            // A 504 (not the destination's 200 after 3 s) shows that PROXY_TIMEOUT ended the wait.
            let answer = try await proxy.send(.GET, "/slow/3000", token: token)
            #expect(answer.status == 504)
            #expect(answer.body == "destination did not answer in time\n")
            let quick = try await proxy.send(.GET, "/slow/10", token: token)
            #expect(quick.status == 200, "a quick enough answer passes: \(quick.status) \(quick.body)")
        }
    }

    @Test func pipelineRefusalsAreAnsweredAsAuthAnswersThemAndNeverReachTheDestination() async throws {
        try await ProxyStack.run({ _ in ["REQUIRED_SCOPES": "orders:write"] }) { proxy in
            let provider = proxy.stack.provider
            let unscoped = provider.issueToken(clientID: "app", scope: "orders:read")
            let revoked = provider.issueToken(clientID: "app", scope: "orders:write")
            provider.revoke(token: revoked)
            let cases: [(String, [(String, String)])] = [
                ("missing token", []),
                ("other scheme", [("Authorization", "Basic dXNlcjpwYXNz")]),
                ("malformed", [("Authorization", "Bearer bad token")]),
                ("revoked", [("Authorization", "Bearer \(revoked)")]),
                ("insufficient scope", [("Authorization", "Bearer \(unscoped)")]),
            ]
            for (name, headers) in cases {
                let viaAuth = try await proxy.stack.request(.GET, "/auth", headers: headers)
                let viaProxy = try await proxy.send(.GET, "/orders", token: nil, headers: headers)
                #expect(viaProxy.status == viaAuth.status && [401, 403].contains(viaProxy.status), "\(name)")
                #expect(viaProxy.headers.first(name: "WWW-Authenticate") == viaAuth.headers.first(name: "WWW-Authenticate"), "\(name)")
                #expect(viaProxy.body == viaAuth.body, "\(name)")
            }
            provider.failureMode = .status(500)
            let fresh = provider.issueToken(clientID: "app", scope: "orders:write")
            let unavailable = try await proxy.send(.POST, "/orders", token: fresh, body: "never delivered")
            #expect(unavailable.status == 503 && unavailable.body == "identity provider unavailable\n")
            #expect(proxy.upstream.count == 0, "a refused request must never reach the destination")
            provider.failureMode = .normal
            #expect(try await proxy.send(.GET, "/orders", token: fresh).status == 200)
            #expect(proxy.upstream.count == 1)
        }
    }

    @Test func theDestinationsAnswerPassesThroughUntouched() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let teapot = try await proxy.send(.GET, "/status/418", token: token)
            #expect(teapot.status == 418 && teapot.headers.first(name: "X-Echo-Status") == "418" && teapot.body == "status 418\n")
            let created = try await proxy.send(.POST, "/status/201", token: token, body: "x")
            #expect(created.status == 201)
            let noContent = try await proxy.send(.DELETE, "/status/204", token: token)
            #expect(noContent.status == 204 && noContent.body.isEmpty)
            // The test client would follow a redirect itself: read this answer byte for byte.
            let redirect = try await RawHTTPConnection.exchange(port: proxy.proxyPort, [
                .init(method: "GET", target: "/redirect", headers: [
                    ("Host", "gateway.example"), ("Destination", proxy.destination), ("Authorization", "Bearer \(token)"),
                ]),
            ])[0]
            #expect(redirect.status == 302, "a redirect goes back to the client, it is not followed")
            #expect(redirect.first("Location") == "http://127.0.0.1:9/elsewhere")
            #expect(proxy.upstream.count == 4)
        }
    }

    @Test func theProxyListenerOnlyForwards() async throws {
        try await ProxyStack.run { proxy in
            let token = proxy.stack.provider.issueToken(clientID: "app")
            let health = try await proxy.stack.request(.GET, "/healthz", port: proxy.proxyPort)
            #expect(health.status == 400, "the proxy has no routes of its own")
            let forwarded = try await proxy.send(.GET, "/auth", token: token)
            #expect(forwarded.status == 200, "\(forwarded.status) \(forwarded.body)")
            #expect(proxy.upstream.last?.target == "/auth", "/auth on the proxy is just a path of the destination")
            #expect(try await proxy.stack.auth(bearer: token).status == 200, "/auth stays on PORT")
        }
    }
}

/// The highest value recorded, from any task.
final class PeakMemory: Sendable {
    private let peak = Mutex(0)

    func record(_ value: Int) { peak.withLock { $0 = max($0, value) } }
    var value: Int { peak.withLock { $0 } }
}
