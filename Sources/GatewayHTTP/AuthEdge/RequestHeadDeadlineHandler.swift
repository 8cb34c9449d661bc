import NIOCore
import NIOHTTP1

/// Bounds the time a client may take to send a request head (`REQUEST_HEADER_TIMEOUT`), against
/// slowloris: a client that trickles header bytes keeps any idle timeout from firing, and holds a
/// connection for as long as it likes.
///
/// A head must be complete within the timeout of its first bytes, and the first head of a
/// connection within the timeout of the connection's start (as nginx's `client_header_timeout`).
/// Past it, a client that sent part of a head gets 408 with `Connection: close`; one that sent
/// nothing at all is closed without an answer. A kept-alive connection waiting between requests
/// is not watched here: that wait belongs to the idle timeout.
///
/// It sits right after the HTTP/1 decoder, so it sees request parts and every read's
/// `channelReadComplete`: a read after which the connection still waits for a head, and that
/// produced no request part, brought bytes of an unfinished head. Only then (and once when the
/// connection starts) is a timer scheduled, so a head that arrives in one read, as every
/// proxy's does, costs no timer. A timer is not cancelled when the head completes; when it fires
/// with no head pending it just ends.
final class RequestHeadDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private let timeout: TimeAmount
    /// When the awaited head started (the connection's start, or the read that brought its first
    /// bytes); nil while a request is being read, and between requests until bytes arrive.
    private var headStarted: NIODeadline?
    /// Whether any byte of the awaited head arrived.
    private var headBytesArrived = false
    /// The last request's end was read: the next bytes begin a head.
    private var awaitingHead = true
    /// A request part came out of the decoder in the current read.
    private var partInThisRead = false
    /// Requests whose answer has not been written completely (pipelined ones included).
    private var unansweredRequests = 0
    private var isStarted = false
    private var timedOut = false
    private var timer: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // After the 408 the connection is closing: nothing more is handed on.
        guard !timedOut else { return }
        switch unwrapInboundIn(data) {
        case .head:
            awaitingHead = false
            headStarted = nil
            headBytesArrived = false
            unansweredRequests += 1
        case .body:
            break
        case .end:
            awaitingHead = true
        }
        partInThisRead = true
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        // A read that ended a request may also hold the start of the next head; the next read
        // without a part tells (a client that stops there is left to the idle timeout).
        if awaitingHead, !partInThisRead, !timedOut {
            headBytesArrived = true
            if headStarted == nil {
                let now = NIODeadline.now()
                headStarted = now
                schedule(context, at: now + timeout)
            }
        }
        partInThisRead = false
        context.fireChannelReadComplete()
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { unansweredRequests -= 1 }
        context.write(data, promise: promise)
    }

    private func start(_ context: ChannelHandlerContext) {
        guard !isStarted else { return }
        isStarted = true
        let now = NIODeadline.now()
        headStarted = now
        schedule(context, at: now + timeout)
    }

    /// A timer already pending fires no later than `deadline` (heads only start later), and then
    /// reschedules itself for the head pending at that time.
    private func schedule(_ context: ChannelHandlerContext, at deadline: NIODeadline) {
        guard timer == nil else { return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { self.timerFired(context) }
    }

    private func timerFired(_ context: ChannelHandlerContext) {
        timer = nil
        guard let headStarted, !timedOut else { return }
        let deadline = headStarted + timeout
        guard NIODeadline.now() >= deadline else { return schedule(context, at: deadline) }
        timedOut = true
        if headBytesArrived, unansweredRequests == 0 {
            ConnectionClosingAnswer.send(.requestTimeout, "request head not complete in time\n", context: context)
        } else {
            // Nothing was asked, or an earlier pipelined request is still being answered and a
            // 408 written now would be taken for its answer: close without one.
            context.close(promise: nil)
        }
    }
}

extension RequestHeadDeadlineHandler: AnswerCounting {
    func answerWrittenPastHandler() {
        unansweredRequests -= 1
    }
}
