import HTTPTypes
import Hummingbird
import NIOCore

/// A decision as HTTP: the response head (with its `Content-Length`) and a body, if any.
public struct DecisionResponse: Sendable {
    public let head: HTTPResponse
    public let body: ByteBuffer?

    /// As a Hummingbird response. A HEAD request gets the same head without the body.
    func response(forHEAD isHEAD: Bool) -> Response {
        Response(status: head.status, headers: head.headerFields, body: isHEAD ? .init() : .init(byteBuffer: body ?? ByteBuffer()))
    }
}
