import Hummingbird
import HTTPTypes
import NIOCore

/// Reads request bodies with a size limit, so a runaway client cannot exhaust memory.
enum RequestBodyReader {
    /// Far above any OAuth form or control command, far below trouble.
    static let limit = 1 << 20

    /// The whole body, or nil when it is larger than ``limit``.
    static func collect(_ request: Request) async throws -> ByteBuffer? {
        do {
            return try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            return nil
        }
    }

    static let tooLarge = HTTPAnswer.oauthError(
        "invalid_request", "request body is larger than \(limit) bytes", status: .contentTooLarge)

    /// A form body, or the answer refusing it.
    enum FormReading {
        case fields(FormFields)
        /// 400 or 413, to be sent as is.
        case refused(HTTPAnswer)
    }

    /// The body as form fields, or the answer refusing it.
    static func form(_ request: Request) async throws -> FormReading {
        guard let body = try await collect(request) else { return .refused(tooLarge) }
        return form(body, headers: request.headers)
    }

    /// Form fields from a body already read. The Content-Type is checked because RFC 6749
    /// and RFC 7662 require form encoding, and a client sending JSON should learn it here.
    static func form(_ body: ByteBuffer, headers: HTTPFields) -> FormReading {
        let contentType = headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            return .refused(
                .oauthError(
                    "invalid_request",
                    "Content-Type must be application/x-www-form-urlencoded, not \"\(headers[.contentType] ?? "(none)")\""))
        }
        do throws(RequestProblem) {
            return .fields(try FormFields(decoding: Array(body.readableBytesView)))
        } catch {
            return .refused(.oauthError("invalid_request", error.description))
        }
    }
}
