import AsyncHTTPClient
import HTTPTypes

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
