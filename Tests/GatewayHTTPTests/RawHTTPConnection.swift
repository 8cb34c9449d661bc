import Foundation
import NIOCore
import NIOPosix

/// Plays a proxy byte for byte: sends HTTP/1.1 requests exactly as written, one after the other
/// on one kept-alive connection (as proxies' connection pools do), and reads each answer.
///
/// AsyncHTTPClient rewrites framing headers (it drops `content-length: 0` from a GET, which
/// Envoy's ext_authz sends), so the proxy-shape tests use this instead.
enum RawHTTPConnection {
    struct Request {
        let method: String
        let target: String
        let headers: [(String, String)]

        var bytes: ByteBuffer {
            var text = "\(method) \(target) HTTP/1.1\r\n"
            for (name, value) in headers { text += "\(name): \(value)\r\n" }
            return ByteBuffer(string: text + "\r\n")
        }
    }

    struct Answer {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: String

        /// Every value of a header, in order (names compared case-insensitively).
        func values(_ name: String) -> [String] {
            headers.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
        }

        func first(_ name: String) -> String? { values(name).first }
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Sends each request after the previous answer arrived, on one connection, within `timeout`.
    static func exchange(port: Int, _ requests: [Request], timeout: Duration = .seconds(10)) async throws -> [Answer] {
        try await withThrowingTaskGroup(of: [Answer].self) { group in
            group.addTask { try await exchangeWithoutTimeout(port: port, requests) }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw Failure(description: "no complete answer within \(timeout)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    private static func exchangeWithoutTimeout(port: Int, _ requests: [Request]) async throws -> [Answer] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var incoming = inbound.makeAsyncIterator()
            var buffer = ByteBuffer()
            var answers: [Answer] = []
            for request in requests {
                try await outbound.write(request.bytes)
                while true {
                    if let answer = try parse(&buffer, bodyless: request.method == "HEAD") {
                        answers.append(answer)
                        break
                    }
                    guard var chunk = try await incoming.next() else {
                        throw Failure(description: "the connection closed before the answer to \(request.method) \(request.target) was complete")
                    }
                    buffer.writeBuffer(&chunk)
                }
            }
            return answers
        }
    }

    /// Takes one complete answer (head and `Content-Length` body) off the front of `buffer`, or
    /// returns nil when more bytes are needed.
    private static func parse(_ buffer: inout ByteBuffer, bodyless: Bool) throws -> Answer? {
        let bytes = Array(buffer.readableBytesView)
        let separator = Array("\r\n\r\n".utf8)
        guard let headEnd = bytes.indices.dropLast(3).first(where: { Array(bytes[$0..<$0 + 4]) == separator }) else { return nil }
        let lines = String(decoding: bytes[..<headEnd], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ", maxSplits: 2)
        guard statusParts.count >= 2, statusParts[0] == "HTTP/1.1", let status = Int(statusParts[1]) else {
            throw Failure(description: "not an HTTP/1.1 status line: \(lines[0])")
        }
        let headers = lines.dropFirst().map { line -> (name: String, value: String) in
            let colon = line.firstIndex(of: ":") ?? line.endIndex
            return (String(line[..<colon]), String(line[colon...].dropFirst()).trimmingCharacters(in: .whitespaces))
        }
        if headers.contains(where: { $0.name.lowercased() == "transfer-encoding" }) {
            throw Failure(description: "a chunked answer; the gateway always sends Content-Length")
        }
        let length = bodyless ? 0 : Int(headers.first { $0.name.lowercased() == "content-length" }?.value ?? "0") ?? 0
        let total = headEnd + 4 + length
        guard bytes.count >= total else { return nil }
        buffer.moveReaderIndex(forwardBy: total)
        buffer.discardReadBytes()
        return Answer(status: status, headers: headers, body: String(decoding: bytes[(headEnd + 4)..<total], as: UTF8.self))
    }
}
