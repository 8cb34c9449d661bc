import GatewayCore
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Answers `/auth` requests that need no waiting (a fresh cache hit, no token, a malformed one,
/// a verified passthrough JWT) on the event loop, before Hummingbird's async handler.
///
/// Everything else passes through to Hummingbird unchanged. The decision and its response come
/// from the same `Gatekeeper` and `DecisionResponses` as the async path, so both answer alike;
/// only the cost differs (no hop to the concurrency pool). While a request is with Hummingbird,
/// later requests on the connection (HTTP pipelining) go there too, so answers keep their order.
final class AuthFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        case idle
        /// The current request goes to Hummingbird.
        case forwarding
        /// The current request is answered here once its end arrives.
        case answering(DecisionResponse, isHEAD: Bool, close: Bool)
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
            if requestsWithHummingbird == 0, let path = head.path, AuthController.handles(path: path),
               let response = auth.respondWithoutWaiting(to: head) {
                state = .answering(response, isHEAD: head.method == .head, close: head.headerFields[.connection]?.lowercased() == "close")
            } else {
                state = .forwarding
                requestsWithHummingbird += 1
                context.fireChannelRead(data)
            }
        case (.answering(let response, let isHEAD, let close), .end):
            state = .idle
            context.write(wrapOutboundOut(.head(response.head)), promise: nil)
            if !isHEAD, let body = response.body { context.write(wrapOutboundOut(.body(body)), promise: nil) }
            if close {
                let channel = context.channel
                context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
            } else {
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
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
