import Foundation

/// Parses `.env` files: `KEY=value` lines, as written for dotenv (the original project's loader)
/// and Docker's `--env-file`.
///
/// Supported: blank lines, `#` comments, an optional `export ` prefix, values in single quotes
/// (taken literally), double quotes (with `\n`, `\t`, `\"`, `\\` escapes) or bare (trimmed, an
/// inline ` #` starts a comment). A line that is none of these is an error naming its number,
/// never silently skipped.
///
/// The text is read as Unicode scalars, not `Character`s: a grapheme cluster can join a quote or
/// a backslash to a combining mark next to it (`"\u{301}`, U+0601 before `\"`), which would change
/// where a value ends or what an escape means (fuzz finding F1, docs/fuzzing.md).
public enum DotEnvFile {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let line: Int
        public let reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    public struct Result: Sendable, Equatable {
        public var values: [String: String] = [:]
        public var errors: [ParseError] = []
    }

    private typealias Scalars = Substring.UnicodeScalarView

    public static func parse(_ text: String) -> Result {
        var result = Result()
        let lines = text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, rawLine) in lines.enumerated() {
            var line = rawLine
            if line.last == "\r" { line = line.dropLast() }  // Windows line ends
            line = trimmed(line)
            if line.isEmpty || line.first == "#" { continue }
            if line.starts(with: "export ".unicodeScalars) { line = trimmed(line.dropFirst("export ".unicodeScalars.count)) }
            guard let equals = line.firstIndex(of: "=") else {
                result.errors.append(ParseError(line: index + 1, reason: "expected KEY=value"))
                continue
            }
            let key = String(Substring(trimmed(line[..<equals])))
            guard isValidKey(key) else {
                result.errors.append(ParseError(line: index + 1, reason: "'\(key.prefix(40))' is not a valid variable name"))
                continue
            }
            switch parseValue(trimmed(line[line.index(after: equals)...])) {
            case .success(let value): result.values[key] = value
            case .failure(let error): result.errors.append(ParseError(line: index + 1, reason: "\(key): \(error.reason)"))
            }
        }
        return result
    }

    private struct ValueError: Error { let reason: String }

    private static func parseValue(_ raw: Scalars) -> Swift.Result<String, ValueError> {
        guard let quote = raw.first, quote == "\"" || quote == "'" else {
            return .success(String(Substring(bareValue(raw))))
        }
        var value = String.UnicodeScalarView()
        var index = raw.index(after: raw.startIndex)
        while index < raw.endIndex {
            let scalar = raw[index]
            if scalar == quote {
                let rest = trimmed(raw[raw.index(after: index)...])
                guard rest.isEmpty || rest.first == "#" else { return .failure(ValueError(reason: "unexpected text after the closing quote")) }
                return .success(String(value))
            }
            if quote == "\"", scalar == "\\", raw.index(after: index) < raw.endIndex {
                index = raw.index(after: index)
                switch raw[index] {
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                default: value.append(raw[index])
                }
            } else {
                value.append(scalar)
            }
            index = raw.index(after: index)
        }
        return .failure(ValueError(reason: "missing closing \(quote == "\"" ? "double" : "single") quote"))
    }

    /// A bare value ends at an inline comment (" #").
    private static func bareValue(_ raw: Scalars) -> Scalars {
        var index = raw.startIndex
        while index < raw.endIndex {
            let next = raw.index(after: index)
            if raw[index] == " ", next < raw.endIndex, raw[next] == "#" { return trimmed(raw[..<index]) }
            index = next
        }
        return raw
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, first == UInt8(ascii: "_") || isLetter(first) else { return false }
        return key.utf8.allSatisfy { $0 == UInt8(ascii: "_") || isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }

    private static func trimmed(_ text: Scalars) -> Scalars {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
