/// One thing wrong with the configuration: which variable, and what to do about it.
public struct ConfigurationProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let variable: String
    public let message: String

    public init(variable: String, message: String) {
        self.variable = variable
        self.message = message
    }

    public var description: String { "\(variable): \(message)" }
}

/// Every problem found in a configuration, reported together so one start-up shows them all.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let problems: [ConfigurationProblem]

    public init(problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// The variables that have a problem, in the order found.
    public var variables: [String] { problems.map(\.variable) }

    public var description: String {
        let count = problems.count == 1 ? "1 problem" : "\(problems.count) problems"
        return (["invalid configuration (\(count)):"] + problems.map { "  - \($0)" }).joined(separator: "\n")
    }
}
