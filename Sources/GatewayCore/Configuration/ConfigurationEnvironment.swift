import Foundation

/// The variables the configuration is read from: the process environment over a `.env` file,
/// with `NAME_FILE` indirection for secrets (Docker and Kubernetes secrets).
///
/// Problems found while assembling it (an unreadable `.env`, a malformed line) are kept and
/// reported with the rest of the configuration's problems.
public struct ConfigurationEnvironment: Sendable {
    /// The merged variables; real environment variables win over the `.env` file.
    public private(set) var variables: [String: String]
    /// Problems found while reading the `.env` file.
    public private(set) var problems: [ConfigurationProblem] = []
    /// Where the variables came from, for the start-up log (no values).
    public private(set) var dotEnvPath: String?
    private let readFile: @Sendable (String) throws -> String

    /// An environment made of exactly these variables (tests, `demo`).
    public init(_ variables: [String: String], readFile: @escaping @Sendable (String) throws -> String = ConfigurationEnvironment.readTextFile) {
        self.variables = variables
        self.readFile = readFile
    }

    /// The process environment over `ENV_FILE` (which must exist when set) or `./.env` (optional).
    public static func load(
        processEnvironment: [String: String] = ProcessInfo.processInfo.environment,
        workingDirectory: String = FileManager.default.currentDirectoryPath,
        readFile: @escaping @Sendable (String) throws -> String = ConfigurationEnvironment.readTextFile
    ) -> ConfigurationEnvironment {
        var environment = ConfigurationEnvironment(processEnvironment, readFile: readFile)
        let explicitPath = processEnvironment["ENV_FILE"].flatMap { $0.isEmpty ? nil : $0 }
        let path = explicitPath ?? (workingDirectory.hasSuffix("/") ? workingDirectory : workingDirectory + "/") + ".env"
        let text: String
        do {
            text = try readFile(path)
        } catch {
            if explicitPath != nil {
                environment.problems.append(.init(variable: "ENV_FILE", message: "cannot read '\(path)': \(ConfigurationEnvironment.describe(error))"))
            }
            return environment
        }
        environment.dotEnvPath = path
        let parsed = DotEnvFile.parse(text)
        for error in parsed.errors {
            environment.problems.append(.init(variable: explicitPath == nil ? ".env" : "ENV_FILE", message: "\(path) \(error)"))
        }
        environment.variables = parsed.values.merging(processEnvironment) { _, real in real }
        return environment
    }

    /// The value of `name`; an empty value counts as unset.
    public func value(_ name: String) -> String? {
        guard let value = variables[name], !value.isEmpty else { return nil }
        return value
    }

    /// The value of `name`, or the content of the file named by `name_FILE` (one trailing newline
    /// removed). Setting both is a problem, as is a file that cannot be read.
    public func valueOrFile(_ name: String) -> Swift.Result<String?, ConfigurationProblem> {
        let fileVariable = name + "_FILE"
        switch (value(name), value(fileVariable)) {
        case (let direct?, nil):
            return .success(direct)
        case (nil, let path?):
            do {
                var content = try readFile(path)
                // Scalars, not Characters: "\r\n" is one Character and would match neither.
                while let last = content.unicodeScalars.last, last == "\n" || last == "\r" { content.unicodeScalars.removeLast() }
                return .success(content.isEmpty ? nil : content)
            } catch {
                return .failure(.init(variable: fileVariable, message: "cannot read '\(path)': \(Self.describe(error))"))
            }
        case (_?, _?):
            return .failure(.init(variable: name, message: "set either \(name) or \(fileVariable), not both"))
        case (nil, nil):
            return .success(nil)
        }
    }

    /// The text of a file the configuration names (`POLICY_FILE`, key files), read the way
    /// `NAME_FILE` secrets are, so tests can give files without a disk.
    func contents(ofFile path: String) throws -> String {
        try readFile(path)
    }

    @Sendable public static func readTextFile(_ path: String) throws -> String {
        try String(contentsOfFile: path, encoding: .utf8)
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain {
            switch nsError.code {
            case NSFileReadNoSuchFileError: return "no such file"
            case NSFileReadNoPermissionError: return "permission denied"
            case NSFileReadInapplicableStringEncodingError: return "not UTF-8 text"
            default: break
            }
        }
        return "\(error)"
    }
}
