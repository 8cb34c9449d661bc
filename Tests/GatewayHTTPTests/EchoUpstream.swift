import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A destination for the proxy tests: a real Hummingbird server on 127.0.0.1 that records every
/// request it gets and answers by path:
///
/// - `/slow/<ms>…`: waits that long before answering (for `PROXY_TIMEOUT`)
/// - `/download/<bytes>`: streams that many `PatternBytes`, generated on the fly
/// - `/count`: reads the body and answers its size in bytes
/// - `/status/<code>`: answers that status, with `X-Echo-Status`
/// - `/redirect`: 302 to a port where nothing listens
/// - `/hop-by-hop`: an answer carrying hop-by-hop headers and one it must keep
/// - anything else: 200 with `X-Echo-Method` and `X-Echo-Target`, the request body streamed back
final class EchoUpstream: Sendable {
    struct Recorded: Sendable {
        let method: String
        /// The request target exactly as it arrived (path and query).
        let target: String
        let headers: [(name: String, value: String)]

        /// Every value of a header (names compared case-insensitively).
        func values(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }

        func first(_ name: String) -> String? { values(name).first }
    }

    private let recorded = Mutex<[Recorded]>([])
    private let counted = Mutex<[Int]>([])

    var requests: [Recorded] { recorded.withLock { $0 } }
    var count: Int { recorded.withLock { $0.count } }
    var last: Recorded? { recorded.withLock { $0.last } }
    /// The sizes of the bodies `/count` read to their end (a body cut short is not counted).
    var countedBodies: [Int] { counted.withLock { $0 } }

    /// Starts an upstream on a free loopback port, runs `body` with it and its port, and stops it.
    static func run(_ body: (EchoUpstream, Int) async throws -> Void) async throws {
        let upstream = EchoUpstream()
        try await LoopbackApplication.run(label: "echo-upstream", { onServerRunning in
            Application(
                responder: Responder(upstream: upstream),
                configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: nil),
                onServerRunning: onServerRunning, logger: LoopbackApplication.quietLogger("echo-upstream"))
        }) { port in
            try await body(upstream, port)
        }
    }

    private struct Responder: HTTPResponder {
        typealias Context = BasicRequestContext
        let upstream: EchoUpstream

        func respond(to request: Request, context: Context) async throws -> Response {
            let target = request.head.path ?? ""
            upstream.recorded.withLock {
                // Hummingbird keeps the Host header apart, as the authority.
                let host = request.head.authority.map { [(name: "Host", value: $0)] } ?? []
                $0.append(Recorded(
                    method: request.method.rawValue, target: target,
                    headers: host + request.headers.map { (name: $0.name.rawName, value: $0.value) }))
            }
            let segments = target.prefix { $0 != "?" }.split(separator: "/")
            switch (segments.first, segments.dropFirst().first) {
            case ("slow", let milliseconds?):
                try await Task.sleep(for: .milliseconds(Int(milliseconds)!))
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "slow\n")))
            case ("download", let bytes?):
                return Response(status: .ok, body: ResponseBody(asyncSequence: PatternBytes(count: Int(bytes)!)))
            case ("count", _):
                var total = 0
                for try await chunk in request.body { total += chunk.readableBytes }
                upstream.counted.withLock { [total] in $0.append(total) }
                return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "\(total)")))
            case ("status", let code?):
                return Response(
                    status: .init(code: Int(code)!), headers: [HTTPField.Name("X-Echo-Status")!: String(code)],
                    body: .init(byteBuffer: ByteBuffer(string: "status \(code)\n")))
            case ("redirect", _):
                return Response(status: .found, headers: [.location: "http://127.0.0.1:9/elsewhere"])
            case ("hop-by-hop", _):
                return Response(status: .ok, headers: [
                    .connection: "X-Upstream-Private", HTTPField.Name("X-Upstream-Private")!: "secret",
                    HTTPField.Name("Keep-Alive")!: "timeout=5", .proxyAuthenticate: "Basic realm=\"x\"",
                    HTTPField.Name("X-Upstream-Public")!: "kept",
                ], body: .init(byteBuffer: ByteBuffer(string: "hop\n")))
            default:
                var headers: HTTPFields = [
                    HTTPField.Name("X-Echo-Method")!: request.method.rawValue, HTTPField.Name("X-Echo-Target")!: target,
                ]
                // A bodyless request gets a Content-Length: 0 answer (RawHTTPConnection reads no chunked one).
                if let length = request.headers[.contentLength] {
                    headers[.contentLength] = length
                } else if request.headers[.transferEncoding] == nil {
                    headers[.contentLength] = "0"
                }
                return Response(status: .ok, headers: headers, body: ResponseBody(asyncSequence: request.body))
            }
        }
    }
}

/// `count` bytes of a fixed pattern (byte i is i mod 251), made chunk by chunk as they are
/// asked for: tests send and check large bodies without holding them.
struct PatternBytes: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    static let period = 251
    /// 256 periods: every chunk but the last starts at phase 0, so one buffer serves them all.
    static let chunk: ByteBuffer = {
        var buffer = ByteBuffer()
        buffer.writeBytes((0..<(period * 256)).map { UInt8($0 % period) })
        return buffer
    }()

    let count: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var remaining: Int

        mutating func next() async -> ByteBuffer? {
            guard remaining > 0 else { return nil }
            let size = Swift.min(remaining, PatternBytes.chunk.readableBytes)
            remaining -= size
            return PatternBytes.chunk.getSlice(at: 0, length: size)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(remaining: count) }

    /// Checks received bytes against the pattern, chunk by chunk, as they arrive.
    struct Checker {
        private(set) var received = 0
        private(set) var mismatchAt: Int?
        private static let reference: [UInt8] = (0..<(1 << 20) + period).map { UInt8($0 % period) }

        mutating func check(_ buffer: ByteBuffer) {
            var offset = 0
            buffer.withUnsafeReadableBytes { bytes in
                while offset < bytes.count {
                    let length = Swift.min(bytes.count - offset, 1 << 20)
                    let phase = (received + offset) % PatternBytes.period
                    let equal = Self.reference.withUnsafeBytes { reference in
                        memcmp(bytes.baseAddress! + offset, reference.baseAddress! + phase, length) == 0
                    }
                    if !equal, mismatchAt == nil { mismatchAt = received + offset }
                    offset += length
                }
            }
            received += buffer.readableBytes
        }
    }
}
