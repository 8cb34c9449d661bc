import Logging

/// Reads typed values from a `ConfigurationEnvironment`, collecting every problem instead of
/// stopping at the first, so one start-up reports all of them.
struct ConfigurationReader {
    let environment: ConfigurationEnvironment
    private(set) var problems: [ConfigurationProblem]

    init(_ environment: ConfigurationEnvironment) {
        self.environment = environment
        self.problems = environment.problems
    }

    mutating func problem(_ variable: String, _ message: String) {
        problems.append(ConfigurationProblem(variable: variable, message: message))
    }

    func string(_ name: String) -> String? {
        environment.value(name)
    }

    /// A value that may come from `NAME_FILE`; `required` adds a problem when it is missing.
    mutating func fileBacked(_ name: String, required: Bool) -> String? {
        switch environment.valueOrFile(name) {
        case .success(let value?):
            return value
        case .success(nil):
            if required { problem(name, "is required but not set (set \(name) or \(name)_FILE)") }
            return nil
        case .failure(let problem):
            problems.append(problem)
            return nil
        }
    }

    mutating func boolean(_ name: String, default defaultValue: Bool) -> Bool {
        guard let text = string(name) else { return defaultValue }
        guard let value = ConfigurationValue.boolean(text) else {
            problem(name, "'\(text)' is not a boolean; use true/false, 1/0 or yes/no")
            return defaultValue
        }
        return value
    }

    mutating func duration(_ name: String, default defaultValue: Duration, minimum: Duration = .zero) -> Duration {
        guard let text = string(name) else { return defaultValue }
        guard let value = ConfigurationValue.duration(text) else {
            problem(name, "'\(text)' is not a duration; use e.g. 500ms, 2s, 5m, 1h or plain seconds")
            return defaultValue
        }
        guard value >= minimum else {
            problem(name, "'\(text)' is too short; the minimum is \(Self.format(minimum))")
            return defaultValue
        }
        return value
    }

    mutating func port(_ name: String, default defaultValue: Int) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = ConfigurationValue.port(text) else {
            problem(name, "'\(text)' is not a port number (0-65535)")
            return defaultValue
        }
        return value
    }

    mutating func integer(_ name: String, default defaultValue: Int, range: ClosedRange<Int>) -> Int {
        guard let text = string(name) else { return defaultValue }
        guard let value = Int(text), range.contains(value) else {
            problem(name, "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return defaultValue
        }
        return value
    }

    mutating func choice<Value>(_ name: String, default defaultValue: Value, _ choices: KeyValuePairs<String, Value>) -> Value {
        guard let text = string(name) else { return defaultValue }
        guard let match = choices.first(where: { $0.key == text.lowercased() }) else {
            problem(name, "'\(text)' is not one of: \(choices.map(\.key).joined(separator: ", "))")
            return defaultValue
        }
        return match.value
    }

    static func format(_ duration: Duration) -> String {
        let milliseconds = Int64(duration.seconds * 1000)
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : "\(milliseconds)ms"
    }
}
