#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A plain TCP connection for sending HTTP/1 exactly as written (pipelined requests, HTTP/1.0)
/// and reading what comes back, byte for byte.
///
/// Reads block, so they run on a Dispatch thread: blocking Swift's cooperative pool would stall
/// the gateway under test, whose handlers run on that pool.
final class PipelinedHTTPConnection: @unchecked Sendable {
    private let descriptor: Int32

    init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    }

    /// A complete `/auth` request carrying `token`.
    static func authRequest(bearer token: String) -> String {
        "GET /auth HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer \(token)\r\n\r\n"
    }

    private var isOpen = true

    deinit { close() }

    /// Closes our end.
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(descriptor)
    }

    /// Whether the bytes were sent (false once the peer closed). MSG_NOSIGNAL: writing to a
    /// connection the gateway closed must not raise SIGPIPE in the test process.
    @discardableResult
    func send(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Half-closes: shuts our sending side (the peer reads end of stream), keeps reading.
    func finishSending() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Whether nothing arrives, neither bytes nor the end of the stream, for `milliseconds`.
    func staysSilent(milliseconds: Int32) async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var request = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
                continuation.resume(returning: poll(&request, 1, milliseconds) == 0)
            }
        }
    }

    /// Reads until `count` complete responses arrived, or the peer closed. `headOnly`: the
    /// responses answer HEAD requests, so they have no body whatever their Content-Length.
    func responses(_ count: Int, headOnly: Bool = false) async -> (responses: [String], closed: Bool) {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.readResponses(count, headOnly: headOnly)) }
        }
    }

    /// Whether the peer closed the connection (a read returns end of stream).
    func closedByPeer() async -> Bool {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: self.isClosedByPeer()) }
        }
    }

    private func readResponses(_ count: Int, headOnly: Bool) -> (responses: [String], closed: Bool) {
        var received = ""
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Self.split(received, headOnly: headOnly).count < count {
            let read = recv(descriptor, &buffer, buffer.count, 0)
            if read <= 0 { return (Self.split(received, headOnly: headOnly), true) }
            received += String(decoding: buffer[0..<read], as: UTF8.self)
        }
        return (Self.split(received, headOnly: headOnly), false)
    }

    /// The end of the stream, or a reset: a peer that closes with bytes of ours still unread
    /// (a client still trickling a head it was refused) resets instead of ending the stream.
    private func isClosedByPeer() -> Bool {
        var byte: UInt8 = 0
        let read = recv(descriptor, &byte, 1, 0)
        return read == 0 || (read < 0 && errno == ECONNRESET)
    }

    /// Complete responses in `text`, each head plus its Content-Length body.
    private static func split(_ text: String, headOnly: Bool) -> [String] {
        var responses: [String] = []
        var rest = Substring(text)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.upperBound]
            let declared = head.split(separator: "\r\n")
                .first { $0.lowercased().hasPrefix("content-length:") }
                .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            let length = headOnly ? 0 : declared
            guard rest.distance(from: headEnd.upperBound, to: rest.endIndex) >= length else { break }
            let end = rest.index(headEnd.upperBound, offsetBy: length)
            responses.append(String(rest[..<end]))
            rest = rest[end...]
        }
        return responses
    }
}
