import AsyncHTTPClient
import GatewayCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Forwards an allowed request to its destination and streams the answer back, bodies both ways
/// with back-pressure: neither side's body is ever held whole.
///
/// The destination's status, headers (less the hop-by-hop ones) and body pass through as they
/// are, redirects included. When it gives no response, the proxy answers 502 or 504 itself.
struct DestinationForwarder: Sendable {
    let client: HTTPClient
    let headers: ForwardedHeaders

    func forward(
        _ request: Request, target: String, to destination: Destination, grantHeaders: [(name: String, value: String)],
        clientAddress: SocketAddress?, logger: Logger
    ) async -> Response {
        var upstream = HTTPClientRequest(url: destination.url(forRequestTarget: target))
        upstream.method = HTTPMethod(rawValue: request.method.rawValue)
        upstream.headers = headers.request(
            request.headers, destination: destination.origin, authority: request.head.authority,
            clientAddress: clientAddress?.ipAddress, grantHeaders: grantHeaders)
        var body: (pipe: RequestBodyPipe, pump: Task<Void, Never>)?
        if let length = Self.bodyLength(of: request.headers) {
            let pipe = RequestBodyPipe()
            upstream.body = .stream(pipe, length: length)
            body = (pipe, Task { await pipe.pump(request.body) })
        }
        let response: Response
        do {
            let answer = try await client.execute(upstream, deadline: .distantFuture, logger: logger)
            // No Content-Length is made up here: the destination's own passes through (a HEAD's
            // included), and without one the response is sent chunked.
            response = Response(
                status: HTTPResponse.Status(code: Int(answer.status.code), reasonPhrase: answer.status.reasonPhrase),
                headers: ForwardedHeaders.response(answer.headers),
                body: ResponseBody { writer in
                    for try await chunk in answer.body { try await writer.write(chunk) }
                    try await writer.finish(nil)
                })
        } catch {
            let failure = UpstreamFailure(error)
            logger.warning(
                "destination gave no response",
                metadata: ["destination": "\(destination.origin)", "status": "\(failure.status.code)", "error": "\(failure)"])
            response = DecisionResponses.plain(failure.status, failure.message, challenge: nil).response(forHEAD: request.method == .head)
        }
        guard let body else { return response }
        return Self.endingExchange(response, pipe: body.pipe, pump: body.pump)
    }

    /// The request body's length as AsyncHTTPClient frames it, or nil when there is none.
    static func bodyLength(of fields: HTTPFields) -> HTTPClientRequest.Body.Length? {
        if fields[.transferEncoding] != nil { return .unknown }
        guard let text = fields[.contentLength], let length = Int64(text), length > 0 else { return nil }
        return .known(length)
    }

    /// `response` with the client's body read to its end before the response counts as written,
    /// so the connection has one reader at a time. If writing fails, the connection is closed
    /// anyway: the rest of the body is not waited for.
    private static func endingExchange(_ response: Response, pipe: RequestBodyPipe, pump: Task<Void, Never>) -> Response {
        var response = response
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            do {
                try await body.write(writer)
            } catch {
                pipe.close()
                pump.cancel()
                await pump.value
                throw error
            }
            pipe.close()
            await pump.value
        }
        return response
    }
}

/// Why a destination gave no response: the proxy's own 504 (it took too long) or 502 (anything
/// else: refused, reset, TLS, a malformed response), or 400 when the request cannot be expressed
/// toward the destination at all.
struct UpstreamFailure: CustomStringConvertible {
    let status: HTTPResponse.Status
    let message: String
    /// The error, shortened, for the log.
    let description: String

    init(_ error: any Error) {
        description = String(String(describing: error).prefix(200))
        switch error as? HTTPClientError {
        case .connectTimeout?, .readTimeout?, .writeTimeout?, .deadlineExceeded?, .tlsHandshakeTimeout?, .getConnectionFromPoolTimeout?:
            status = .gatewayTimeout
            message = "destination did not answer in time\n"
        case .invalidURL?, .traceRequestWithBody?:
            status = .badRequest
            message = "request cannot be forwarded\n"
        default:
            status = .badGateway
            message = "destination unreachable\n"
        }
    }
}
