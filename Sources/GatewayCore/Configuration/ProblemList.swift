/// Everything wrong with one input (a policy file, a list in a variable), each problem saying
/// where it is, so they can all be reported at once.
public struct ProblemList: Error, Sendable, Equatable {
    public let messages: [String]

    public init(_ messages: [String]) {
        self.messages = messages
    }
}
