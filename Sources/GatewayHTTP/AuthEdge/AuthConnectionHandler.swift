import GatewayCore
import NIOCore
import NIOHTTP1

/// The HTTP/1 exchange of one connection to the main listener, in front of Hummingbird.
///
/// - Answers `/auth` requests that need no waiting (a fresh cache hit, no token, a malformed one,
///   a verified passthrough JWT) on the event loop: the decision and its response come from the
///   same `AuthController`, `Gatekeeper` and `DecisionResponses` as the async path, so both answer
///   alike; the answer is written as bytes past the response encoder (no header conversion, no
///   hop to the concurrency pool). Everything else goes to Hummingbird unchanged, and while a
///   request is with Hummingbird, later ones on the connection (HTTP pipelining) go there too,
///   so answers keep their order.
/// - Keeps the connection's lifecycle for both paths, which Hummingbird's own state handler
///   cannot (it never sees the requests answered here): the idle timeout counts from the last
///   request or response of either path, and on graceful shutdown (`ChannelShouldQuiesceEvent`)
///   an idle connection closes at once and a busy one after its current answer.
/// - Leaves the body out of Hummingbird's answers to `HEAD` (the encoder is not paired with the
///   decoder here, see `AuthHTTP1Channel`).
final class AuthConnectionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private enum Inbound {
        case betweenRequests
        /// The current request goes to Hummingbird.
        case forwarding
        /// The current request is answered here once its end arrives.
        case answering(DecisionResponse, Framing)
    }

    /// How an answer is framed for the request it answers (kept instead of the request head).
    private struct Framing {
        let version: HTTPVersion
        let keepAlive: Bool
        let withBody: Bool
    }

    /// nil: every request goes to Hummingbird (`AUTH_FAST_PATH=false`).
    private let auth: AuthController?
    private let responseEncoder: HTTPResponseEncoder
    private let idleTimeout: TimeAmount
    /// Handlers between here and the encoder that count answers going out; the fast path's
    /// answers pass them by, so they are told.
    private let answerCounters: [any AnswerCounting]
    /// The response encoder's context: bytes written there skip the encoder.
    private var bytesOut: ChannelHandlerContext?
    private var inbound = Inbound.betweenRequests
    private var forwarded = ForwardedRequests()
    private var lastActivity = NIODeadline.now()
    private var idleCheck: Scheduled<Void>?
    private var quiescing = false
    /// A request part went to Hummingbird since the last read burst ended.
    private var forwardedSinceReadComplete = false

    init(auth: AuthController?, responseEncoder: HTTPResponseEncoder, idleTimeout: TimeAmount, answerCounters: [any AnswerCounting] = []) {
        self.auth = auth
        self.responseEncoder = responseEncoder
        self.idleTimeout = idleTimeout
        self.answerCounters = answerCounters
    }

    func handlerAdded(context: ChannelHandlerContext) {
        bytesOut = try? context.pipeline.syncOperations.context(handler: responseEncoder)
        if context.channel.isActive { scheduleIdleCheck(context, at: .now() + idleTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
        bytesOut = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        scheduleIdleCheck(context, at: .now() + idleTimeout)
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        lastActivity = .now()
        let part = unwrapInboundIn(data)
        switch (inbound, part) {
        case (.betweenRequests, .head(let head)):
            if let response = fastAnswer(to: head) {
                inbound = .answering(response, Framing(version: head.version, keepAlive: head.isKeepAlive, withBody: head.method != .HEAD))
            } else {
                inbound = .forwarding
                forwarded.append(head.method)
                forward(data, context: context)
            }
        case (.answering(let response, let framing), .end):
            inbound = .betweenRequests
            write(response, framing, context: context)
        case (.answering, _):
            break  // an /auth request body is never read
        case (.forwarding, .end):
            inbound = .betweenRequests
            forward(data, context: context)
        default:
            forward(data, context: context)
        }
    }

    /// Hummingbird's side hears of the end of a read burst only when something reached it: its
    /// async channel delivers what it buffered then, and a burst of fast answers leaves it nothing.
    func channelReadComplete(context: ChannelHandlerContext) {
        guard forwardedSinceReadComplete else { return }
        forwardedSinceReadComplete = false
        context.fireChannelReadComplete()
    }

    private func forward(_ data: NIOAny, context: ChannelHandlerContext) {
        forwardedSinceReadComplete = true
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head):
            forwarded.answerBegins(status: head.status)
            context.write(data, promise: promise)
        case .body:
            if forwarded.suppressesBody {
                promise?.succeed(())
            } else {
                context.write(data, promise: promise)
            }
        case .end:
            forwarded.answerEnds()
            lastActivity = .now()
            if quiescing, isIdle {
                let channel = context.channel
                context.writeAndFlush(data).whenComplete { _ in channel.close(promise: nil) }
                promise?.succeed(())
            } else {
                context.write(data, promise: promise)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if isIdle { context.close(promise: nil) }
    }

    /// No request is being read or awaits its answer.
    private var isIdle: Bool {
        if case .betweenRequests = inbound { return forwarded.isEmpty }
        return false
    }

    /// Hummingbird owes the answer to a request that has fully arrived: busy, not idle.
    private var awaitsAnswer: Bool {
        let beingRead = if case .forwarding = inbound { 1 } else { 0 }
        return forwarded.count > beingRead
    }

    /// The answer when this request can be answered here and now; nil sends it to Hummingbird.
    private func fastAnswer(to head: HTTPRequestHead) -> DecisionResponse? {
        guard let auth, forwarded.isEmpty, head.version == .http1_1 || head.version == .http1_0, AuthController.handles(path: head.uri) else { return nil }
        return auth.respondWithoutWaiting(
            method: head.method.rawValue, target: head.uri, headers: head.headers.lazy.map { (name: $0.name, value: $0.value) })
    }

    private func write(_ response: DecisionResponse, _ framing: Framing, context: ChannelHandlerContext) {
        guard let bytesOut else { return }
        let keepAlive = framing.keepAlive && !quiescing
        var bytes = context.channel.allocator.buffer(capacity: 1024)
        response.writeHTTP1(into: &bytes, version: framing.version, keepAlive: keepAlive, withBody: framing.withBody)
        for counter in answerCounters { counter.answerWrittenPastHandler() }
        if keepAlive {
            bytesOut.writeAndFlush(NIOAny(IOData.byteBuffer(bytes)), promise: nil)
        } else {
            let channel = context.channel
            bytesOut.writeAndFlush(NIOAny(IOData.byteBuffer(bytes))).whenComplete { _ in channel.close(promise: nil) }
        }
    }

    /// Closes the connection once it has been idle for `idleTimeout`: between requests, or in the
    /// middle of one that stopped arriving. A request Hummingbird is answering keeps it open.
    private func scheduleIdleCheck(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard idleCheck == nil else { return }
        idleCheck = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            idleCheck = nil
            guard context.channel.isActive else { return }
            let now = NIODeadline.now()
            if awaitsAnswer {
                scheduleIdleCheck(context, at: now + idleTimeout)
            } else if now >= lastActivity + idleTimeout {
                context.close(promise: nil)
            } else {
                scheduleIdleCheck(context, at: lastActivity + idleTimeout)
            }
        }
    }
}
