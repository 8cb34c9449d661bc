import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Requests the helpers of ``RunningProvider`` cannot express: raw bodies and streamed bodies.
enum HTTPClientRequestBuilder {
    /// A form `POST` with this exact body text, however wrongly encoded.
    static func form(_ url: String, body: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }

    /// A form `POST` whose body is streamed in these parts, so it goes out chunked.
    static func chunkedForm(_ url: String, parts: [String]) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let buffers = AsyncStream<ByteBuffer> { continuation in
            for part in parts { continuation.yield(ByteBuffer(string: part)) }
            continuation.finish()
        }
        request.body = .stream(buffers, length: .unknown)
        return request
    }
}
