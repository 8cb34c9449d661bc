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

    /// As an HTTP/1 response head for a request of this version and connection persistence.
    func head(version: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        var fields = HTTPHeaders(headers)
        if !keepAlive {
            fields.add(name: "Connection", value: "close")
        } else if version == .http1_0 {
            fields.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: version, status: .init(statusCode: status.code), headers: fields)
    }
}
