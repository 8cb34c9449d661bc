import Foundation

/// Findings reported and not fixed yet. Their properties are skipped, so every other property
/// keeps guarding CI; `FUZZ_STRICT=1` checks them too (`FUZZ_STRICT=1 scripts/fuzz 30 dotenv`).
/// Delete an entry when its fix lands: the property then always runs. docs/fuzzing.md lists them.
enum KnownFindings {
    static let strict = ProcessInfo.processInfo.environment["FUZZ_STRICT"] != nil

    /// F3: the problem `RoutePolicyFile` reports for a file that is not valid JSON changes from
    /// run to run, and can point at the wrong place: `JSONValue`'s `Decodable` init tries each
    /// type with `try?`, so the error that surfaces is whichever member the decoder met first
    /// (dictionary order, seeded per process), e.g. "expected Dictionary but found an array" at
    /// `rules` for a control character in another key. Fix: report the syntax error of a
    /// validating parse (e.g. `JSONSerialization`) before decoding, or parse JSON by hand.
    static let invalidJSONProblem = !strict

    static var skipped: [String] {
        invalidJSONProblem ? ["F3 (invalid-JSON problem text)"] : []
    }
}
