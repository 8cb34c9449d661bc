import GatewayCore
import NIOCore
import NIOHTTP1

/// Answers `/auth` requests that need no waiting (a fresh cache hit, no token, a malformed one,
/// a verified passthrough JWT) on the event loop, on HTTP/1 parts, before Hummingbird sees them.
///
/// Everything else passes through to Hummingbird unchanged. The decision and its response come
/// from the same `AuthController`, `Gatekeeper` and `DecisionResponses` as the async path, so
/// both answer alike; only the cost differs (no conversion to HTTP types, no hop to the
/// concurrency pool). While a request is with Hummingbird, later requests on the connection
/// (HTTP pipelining) go there too, so answers keep their order.
final class AuthFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum State {
        case idle
        /// The current request goes to Hummingbird.
        case forwarding
        /// The current request is answered here once its end arrives.
        case answering(HTTPResponseHead, body: ByteBuffer?, keepAlive: Bool)
    }

    private let auth: AuthController
    private var state = State.idle
    /// Requests handed to Hummingbird whose response has not ended yet.
    private var requestsWithHummingbird = 0

    init(auth: AuthController) {
        self.auth = auth
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch (state, part) {
        case (.idle, .head(let head)):
            if requestsWithHummingbird == 0, AuthController.handles(path: head.uri),
               let response = auth.respondWithoutWaiting(
                   method: head.method.rawValue, target: head.uri, headers: head.headers.lazy.map { (name: $0.name, value: $0.value) }) {
                let keepAlive = head.isKeepAlive
                state = .answering(
                    response.head(version: head.version, keepAlive: keepAlive), body: head.method == .HEAD ? nil : response.body, keepAlive: keepAlive)
            } else {
                state = .forwarding
                requestsWithHummingbird += 1
                context.fireChannelRead(data)
            }
        case (.answering(let head, let body, let keepAlive), .end):
            state = .idle
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            if keepAlive {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            } else {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            }
        case (.answering, _):
            break  // an /auth request body is never read
        case (.forwarding, .end):
            state = .idle
            context.fireChannelRead(data)
        default:
            context.fireChannelRead(data)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { requestsWithHummingbird = max(0, requestsWithHummingbird - 1) }
        context.write(data, promise: promise)
    }
}
