import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with the `/auth` fast path in front: the pipeline of
/// `HTTP1Channel`, with the request-head deadline (`RequestHeadDeadlineHandler`) and
/// `AuthConnectionHandler` on the HTTP/1 parts before they are converted to
/// HTTP types for Hummingbird (in place of Hummingbird's connection state handler, which would
/// not see the requests answered there), and bounded headers answered 431 beyond their limits.
///
/// The response encoder is deliberately not paired with the request decoder (as
/// `configureHTTPServerPipeline` pairs them to frame answers to HEAD): the fast path writes its
/// answers as bytes past the encoder, and a paired encoder would then match later answers to the
/// wrong requests. `AuthConnectionHandler` leaves out bodies of answers to HEAD instead.
struct AuthHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    /// Header limits: an auth subrequest carries a token of at most 8 KiB and a few dozen headers;
    /// nginx's default buffers hold 8 KiB per header line.
    static let headerLimits: NIOHTTPDecoderLimitConfiguration = {
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderFieldSize = 16 * 1024
        limits.maxHeaderListSize = 64 * 1024
        limits.maxHeaderFieldCount = 200
        return limits
    }()

    let responder: HTTPChannelHandler.Responder
    /// nil: no fast path (`AUTH_FAST_PATH=false`).
    let auth: AuthController?
    let idleTimeout: Duration
    /// `REQUEST_HEADER_TIMEOUT`.
    let requestHeaderTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            let encoder = HTTPResponseEncoder()
            try operations.addHandler(encoder)
            try operations.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes, limitConfiguration: Self.headerLimits)))
            let headDeadline = RequestHeadDeadlineHandler(timeout: TimeAmount(requestHeaderTimeout))
            try operations.addHandler(headDeadline)
            let parseErrors = HTTPParseErrorResponder()
            try operations.addHandler(parseErrors)
            try operations.addHandler(AuthConnectionHandler(
                auth: auth, responseEncoder: encoder, idleTimeout: TimeAmount(idleTimeout), answerCounters: [headDeadline, parseErrors]))
            try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
