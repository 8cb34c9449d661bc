import HTTPTypes
import Hummingbird
import NIOCore
import NIOHTTP1

/// A decision as HTTP: status, header fields (with `Content-Length`) and a body, if any.
///
/// Kept as plain name/value pairs so the event-loop fast path writes them as NIO headers
/// without conversion, and the async path as Hummingbird fields.
public struct DecisionResponse: Sendable {
    public let status: HTTPResponse.Status
    public let headers: [(name: String, value: String)]
    public let body: ByteBuffer?

    public func value(of name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// As a Hummingbird response. A HEAD request gets the same head without the body.
    func response(forHEAD isHEAD: Bool) -> Response {
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for (name, value) in headers {
            if let name = HTTPField.Name(name) { fields.append(HTTPField(name: name, value: value)) }
        }
        return Response(status: status, headers: fields, body: isHEAD ? .init() : .init(byteBuffer: body ?? ByteBuffer()))
    }

    /// As HTTP/1 bytes (status line, header fields, `Connection` when needed, body), for the
    /// event-loop fast path, which writes them past the response encoder. HTTP/1.0 or 1.1 only.
    /// One copy into the buffer: a write per field would check exclusivity on every call.
    func writeHTTP1(into bytes: inout ByteBuffer, version: HTTPVersion, keepAlive: Bool, withBody: Bool) {
        precondition(version.major == 1 && (0...1).contains(version.minor) && (100...999).contains(status.code))
        let connection: StaticString? = !keepAlive ? "Connection: close\r\n" : (version.minor == 0 ? "Connection: keep-alive\r\n" : nil)
        let reason = status.reasonPhrase
        var length = "HTTP/1.1 200 \r\n\r\n".utf8.count + reason.utf8.count + (connection?.utf8CodeUnitCount ?? 0)
        for (name, value) in headers { length += name.utf8.count + value.utf8.count + 4 }
        bytes.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { buffer in
            var out = ByteWriter(buffer)
            out.append("HTTP/1.")
            out.append(digit: version.minor)
            out.append(" ")
            out.append(digit: status.code / 100)
            out.append(digit: status.code / 10 % 10)
            out.append(digit: status.code % 10)
            out.append(" ")
            out.append(reason)
            out.append("\r\n")
            for (name, value) in headers {
                out.append(name)
                out.append(": ")
                out.append(value)
                out.append("\r\n")
            }
            if let connection { out.append(connection) }
            out.append("\r\n")
            return out.count
        }
        if withBody, let body { bytes.writeImmutableBuffer(body) }
    }
}

/// Appends bytes to memory that was sized for them beforehand.
private struct ByteWriter {
    private let buffer: UnsafeMutableRawBufferPointer
    private(set) var count = 0

    init(_ buffer: UnsafeMutableRawBufferPointer) {
        self.buffer = buffer
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    mutating func append(digit: Int) {
        precondition(count < buffer.count)
        buffer[count] = UInt8(ascii: "0") + UInt8(digit)
        count += 1
    }

    private mutating func append(_ bytes: UnsafeRawBufferPointer) {
        precondition(count + bytes.count <= buffer.count)
        UnsafeMutableRawBufferPointer(rebasing: buffer[count...]).copyMemory(from: bytes)
        count += bytes.count
    }
}
