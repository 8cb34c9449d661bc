import Hummingbird
import HTTPTypes
import NIOCore

/// `POST /introspect`: token introspection (RFC 7662), then the provider's ``FailureMode``.
///
/// Every request is counted as it arrives and recorded once its body is read, before client
/// authentication, so tests see exactly what the gateway sent, even when it was wrong.
struct IntrospectionEndpoint: Sendable {
    let provider: DevIdentityProvider

    /// Large enough for any test, small enough that a typo cannot exhaust memory.
    static let hugeBodyLimit = 64 << 20
    /// Bytes per interval in `slowBody` mode: a few, so even a short answer takes many intervals.
    static let slowBodyChunkSize = 4
    /// How often a hanging request checks whether the mode changed.
    static let hangPollInterval = Duration.milliseconds(50)

    func respond(to request: Request) async throws -> Response {
        provider.countIntrospection()
        let body = try await RequestBodyReader.collect(request)
        provider.record(Self.recorded(request, body: body))
        // The mode at arrival decides, so a test that switches modes mid-flight gets predictable answers.
        let mode = provider.failureMode
        let (normal, answer) = normalAnswer(request, body: body)

        switch mode {
        case .normal:
            return normal.response
        case .delay(let duration):
            _ = await GracefulPause.pause(for: duration)
            return normal.response
        case .status(let code, let retryAfter):
            return Self.statusAnswer(code: code, retryAfter: retryAfter).response
        case .malformedJSON:
            return HTTPAnswer.json(#"{"active": tru"#).response
        case .nonObjectJSON:
            return HTTPAnswer.json("[true]").response
        case .activeAsString:
            return HTTPAnswer.json((answer ?? .inactive).withActiveAsString).response
        case .hugeBody(let bytes):
            return HTTPAnswer.json((answer ?? .inactive).padded(to: min(bytes, Self.hugeBodyLimit))).response
        case .hang:
            while provider.failureMode == .hang {
                guard await GracefulPause.pause(for: Self.hangPollInterval) else {
                    return HTTPAnswer.text("dev-idp is shutting down", status: .serviceUnavailable).response
                }
            }
            return normal.response
        case .slowBody(let interval):
            return normal.trickled(chunkSize: Self.slowBodyChunkSize, interval: interval)
        }
    }

    /// The answer of a correct provider, and what it says about the token when the request was valid.
    private func normalAnswer(_ request: Request, body: ByteBuffer?) -> (HTTPAnswer, IntrospectionAnswer?) {
        guard let body else { return (RequestBodyReader.tooLarge, nil) }
        let form: FormFields
        switch AuthenticatedForm.read(RequestBodyReader.form(body, headers: request.headers), headers: request.headers, clients: provider.clients) {
        case .accepted(_, let fields): form = fields
        case .refused(let refusal): return (refusal, nil)
        }
        guard let token = form["token"] else {
            return (.oauthError("invalid_request", "token is missing"), nil)
        }
        // token_type_hint is optional help (RFC 7662 §2.1): every token here is an access token.
        let answer = provider.introspectionAnswer(for: token)
        return (.json(answer.jsonText), answer)
    }

    private static func statusAnswer(code: Int, retryAfter: String?) -> HTTPAnswer {
        // A status outside 200...599 cannot be sent as a final answer; say so instead of trapping.
        guard (200...599).contains(code) else {
            return .text("dev-idp failure mode has an invalid status \(code)", status: .internalServerError)
        }
        var answer = HTTPAnswer.text("dev-idp failure mode: HTTP \(code)", status: HTTPResponse.Status(code: code))
        if let retryAfter { answer.headers[.retryAfter] = retryAfter }
        return answer
    }

    private static func recorded(_ request: Request, body: ByteBuffer?) -> RecordedRequest {
        var headers: [(name: String, value: String)] = []
        // HTTP/1 parsing turns Host into the authority; put it back where clients send it.
        if let authority = request.head.authority { headers.append(("Host", authority)) }
        headers += request.headers.map { ($0.name.rawName, $0.value) }
        let transferEncoding = request.headers[values: .transferEncoding].joined(separator: ",").lowercased()
        return RecordedRequest(
            headers: headers,
            body: body.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? "",
            hasContentLength: request.headers[.contentLength] != nil,
            isChunked: transferEncoding.contains("chunked")
        )
    }
}
