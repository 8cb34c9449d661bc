import NIOCore
import NIOHTTP1

/// Answers a request that cannot be parsed before the connection closes: 431 when its headers
/// are too large or too many, 400 for anything else that is not HTTP. (NIO's own handler answers
/// 400 to everything.) Then the connection is closed: nothing after a parse error can be trusted.
///
/// Pipelined requests read before the broken one are answered first, so that every answer still
/// matches its request: a 400 written while an earlier request waits for its introspection would
/// be taken for that request's answer.
final class HTTPParseErrorResponder: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// Requests whose head was read and whose answer has not been written to its end.
    private var unansweredRequests = 0
    /// A head was read, its end not yet: a parse error now is in that request's body.
    private var readingBody = false
    private var responseInProgress = false
    /// A parse error after complete, unanswered requests: answered once they are.
    private var deferredError: HTTPParserError?
    private var context: ChannelHandlerContext?

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            unansweredRequests += 1
            readingBody = true
        case .body: break
        case .end: readingBody = false
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parseError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        guard deferredError == nil else { return }
        if readingBody {
            // The broken request is the one being read: the error is its answer, unless an answer
            // has begun or earlier requests are still waiting; then only the close remains.
            if unansweredRequests <= 1, !responseInProgress {
                answer(parseError, context: context)
            } else {
                context.close(promise: nil)
                context.fireErrorCaught(error)
            }
        } else if unansweredRequests == 0 {
            answer(parseError, context: context)
        } else {
            deferredError = parseError
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let part = unwrapOutboundIn(data)
        switch part {
        case .head(let head) where head.status.code >= 200: responseInProgress = true
        case .end:
            responseInProgress = false
            unansweredRequests -= 1
        default: break
        }
        context.write(data, promise: promise)
        if case .end = part { answerDeferredErrorWhenNothingWaits(context: context) }
    }

    private func answerDeferredErrorWhenNothingWaits(context: ChannelHandlerContext) {
        if unansweredRequests == 0, let deferredError {
            self.deferredError = nil
            answer(deferredError, context: context)
        }
    }

    private func answer(_ parseError: HTTPParserError, context: ChannelHandlerContext) {
        if parseError == .headerOverflow {
            ConnectionClosingAnswer.send(.requestHeaderFieldsTooLarge, "request headers too large\n", context: context)
        } else {
            ConnectionClosingAnswer.send(.badRequest, "malformed HTTP request\n", context: context)
        }
        context.fireErrorCaught(parseError)
    }
}

extension HTTPParseErrorResponder: AnswerCounting {
    func answerWrittenPastHandler() {
        responseInProgress = false
        unansweredRequests -= 1
        if let context { answerDeferredErrorWhenNothingWaits(context: context) }
    }
}
