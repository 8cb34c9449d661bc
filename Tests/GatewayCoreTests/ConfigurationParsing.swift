import Foundation
import Testing

@testable import GatewayCore

/// Parses a configuration from given variables and files (no process environment, no disk),
/// for the configuration tests.
enum ConfigurationParsing {
    static func parse(_ variables: [String: String], files: [String: String] = [:]) throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfiguration.parse(ConfigurationEnvironment(variables, readFile: reader(files)))
    }

    /// The problems of a configuration that must be rejected (an issue is recorded if it is not).
    static func problems(_ variables: [String: String], files: [String: String] = [:]) -> [ConfigurationProblem] {
        do {
            _ = try parse(variables, files: files)
            Issue.record("expected the configuration to be rejected")
            return []
        } catch {
            return error.problems
        }
    }

    /// Reads files from `files` by path; any other path does not exist.
    static func reader(_ files: [String: String]) -> @Sendable (String) throws -> String {
        { path in
            guard let content = files[path] else { throw CocoaError(.fileReadNoSuchFile) }
            return content
        }
    }
}
