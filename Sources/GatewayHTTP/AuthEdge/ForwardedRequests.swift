import NIOCore
import NIOHTTP1

/// The requests of a connection handed to Hummingbird whose answers have not ended, in order:
/// while there are any, the fast path waits (answers keep their order under HTTP pipelining),
/// and an answer to `HEAD` or `CONNECT` loses its body (RFC 9112 §6.3).
struct ForwardedRequests {
    /// Methods of forwarded requests whose answer has not begun.
    private var awaitingAnswer = CircularBuffer<HTTPMethod>(initialCapacity: 4)
    private var answering = false
    /// The answer being written must have no body.
    private(set) var suppressesBody = false

    var isEmpty: Bool { awaitingAnswer.isEmpty && !answering }
    var count: Int { awaitingAnswer.count + (answering ? 1 : 0) }

    mutating func append(_ method: HTTPMethod) {
        awaitingAnswer.append(method)
    }

    /// An answer's head is written. A 1xx other than 101 is followed by the final answer's head.
    mutating func answerBegins(status: HTTPResponseStatus) {
        guard status.code >= 200 || status == .switchingProtocols, let method = awaitingAnswer.popFirst() else { return }
        answering = true
        suppressesBody = method == .HEAD || method == .CONNECT
    }

    mutating func answerEnds() {
        answering = false
        suppressesBody = false
    }
}
