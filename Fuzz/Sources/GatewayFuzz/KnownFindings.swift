import Foundation

/// Findings reported and not fixed yet. Their properties are skipped, so every other property
/// keeps guarding CI; `FUZZ_STRICT=1` checks them too (`FUZZ_STRICT=1 scripts/fuzz 30 dotenv`).
/// Delete an entry when its fix lands: the property then always runs. docs/fuzzing.md lists them.
enum KnownFindings {
    static let strict = ProcessInfo.processInfo.environment["FUZZ_STRICT"] != nil

    /// F1: `DotEnvFile` reads Swift `Character`s (grapheme clusters), so a scalar that joins its
    /// neighbour changes what a quote or a backslash escape means: `K="a\r\u{301}"` (an escaped
    /// CR, then U+0301) gives `aŕ`; `K="\u{301}x"` is read as a bare value, quotes included; a
    /// prepended mark such as U+0601 before `\"` hides the escape. Fix: parse `unicodeScalars`
    /// (or UTF-8 bytes) instead of `Character`s.
    static let dotEnvGraphemes = !strict

    /// F3: the problem `RoutePolicyFile` reports for a file that is not valid JSON changes from
    /// run to run, and can point at the wrong place: `JSONValue`'s `Decodable` init tries each
    /// type with `try?`, so the error that surfaces is whichever member the decoder met first
    /// (dictionary order, seeded per process), e.g. "expected Dictionary but found an array" at
    /// `rules` for a control character in another key. Fix: report the syntax error of a
    /// validating parse (e.g. `JSONSerialization`) before decoding, or parse JSON by hand.
    static let invalidJSONProblem = !strict

    static var skipped: [String] {
        (dotEnvGraphemes ? ["F1 (.env graphemes)"] : [])
            + (invalidJSONProblem ? ["F3 (invalid-JSON problem text)"] : [])
    }
}
