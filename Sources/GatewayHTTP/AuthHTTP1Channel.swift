import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1 child channel with the `/auth` fast path in front: the same pipeline as
/// `HTTP1Channel`, plus `AuthFastPathHandler` on the HTTP/1 parts before they are converted to
/// HTTP types for Hummingbird, and bounded headers answered 431 beyond their limits.
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

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let operations = channel.pipeline.syncOperations
            try operations.configureHTTPServerPipeline(
                withPipeliningAssistance: false, withErrorHandling: false, withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(), withDecoderLimitConfiguration: Self.headerLimits)
            try operations.addHandler(HTTPParseErrorResponder())
            if let auth { try operations.addHandler(AuthFastPathHandler(auth: auth)) }
            try operations.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try operations.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}
