/// A handler that counts the answers written through it (to tell whether a request still waits
/// for one), and must also hear of answers written past it: the fast path's, which go straight
/// to the socket side of the response encoder.
protocol AnswerCounting: AnyObject {
    /// One request was answered completely without the answer passing this handler.
    func answerWrittenPastHandler()
}
