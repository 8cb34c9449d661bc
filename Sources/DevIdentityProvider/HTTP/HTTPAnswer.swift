import Hummingbird
import HTTPTypes
import NIOCore

/// A complete answer (status, headers, text body) that is built first and sent later, so a
/// failure mode can delay it, trickle it or replace it.
struct HTTPAnswer: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> HTTPAnswer {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        // RFC 6749 §5.1: token responses must not be cached; harmless on the others.
        headers[.cacheControl] = "no-store"
        return HTTPAnswer(status: status, headers: headers, body: text)
    }

    static func text(_ text: String, status: HTTPResponse.Status) -> HTTPAnswer {
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; charset=utf-8"
        return HTTPAnswer(status: status, headers: headers, body: text)
    }

    /// An OAuth error answer (RFC 6749 §5.2): `{"error":…,"error_description":…}`.
    static func oauthError(_ code: String, _ description: String, status: HTTPResponse.Status = .badRequest) -> HTTPAnswer {
        json(JSONText.object([("error", .string(code)), ("error_description", .string(description))]), status: status)
    }

    /// 401 `invalid_client` with the challenge RFC 6749 §5.2 requires after failed Basic auth.
    static func invalidClient(_ description: String) -> HTTPAnswer {
        var answer = oauthError("invalid_client", description, status: .unauthorized)
        answer.headers[.wwwAuthenticate] = "Basic realm=\"dev-idp\""
        return answer
    }

    /// The whole body in one buffer, with `Content-Length`.
    var response: Response {
        Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The headers at once, then the body `chunkSize` bytes at a time, `interval` apart.
    /// No `Content-Length`, so HTTP/1.1 sends it chunked. A graceful shutdown sends the rest at once.
    func trickled(chunkSize: Int, interval: Duration) -> Response {
        let bytes = Array(body.utf8)
        let size = max(chunkSize, 1)
        return Response(
            status: status,
            headers: headers,
            body: ResponseBody { writer in
                var offset = 0
                while offset < bytes.count {
                    guard await GracefulPause.pause(for: interval) else {
                        try await writer.write(ByteBuffer(bytes: bytes[offset...]))
                        break
                    }
                    let end = min(offset + size, bytes.count)
                    try await writer.write(ByteBuffer(bytes: bytes[offset..<end]))
                    offset = end
                }
                try await writer.finish(nil)
            }
        )
    }
}

/// Why a request was refused, in words for `error_description` or a `/_dev` answer.
struct RequestProblem: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}
