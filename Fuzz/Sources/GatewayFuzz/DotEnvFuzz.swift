import GatewayCore

/// `.env` files (the gateway's working directory, `ENV_FILE`, the Docker image's `/usr/app/.env`).
///
/// Properties: parsing is deterministic; every key is a valid variable name (`[A-Za-z_][A-Za-z0-9_]*`);
/// every error names a line that exists; every value written back as `KEY="escaped"` (and, when it
/// is plain enough, bare and single-quoted) parses to the same value; a file made of the
/// parsed values alone parses without errors to the same values.
enum DotEnvFuzz {
    static func run(_ bytes: [UInt8]) {
        let source = text(bytes)
        let parsed = DotEnvFile.parse(source)
        require(DotEnvFile.parse(source) == parsed, "parsing is not deterministic")
        let lineCount = source.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" }.count
        for error in parsed.errors {
            require((1...max(lineCount, 1)).contains(error.line), "error on line \(error.line) of \(lineCount)")
        }
        for (key, value) in parsed.values {
            require(isValidName(key), "key \(key.debugDescription) is not a valid variable name")
            let quoted = DotEnvFile.parse("\(key)=\(doubleQuoted(value))\n")
            require(quoted.errors.isEmpty && quoted.values == [key: value],
                    "\(key)=\(doubleQuoted(value)) does not parse back to \(value.debugDescription): \(quoted)")
            if isPlain(value) {
                require(DotEnvFile.parse("export \(key)=\(value)").values == [key: value], "bare \(value.debugDescription) does not parse back")
                // (A tab before '=': "export = 'x'" would read as the export prefix, for a variable named export.)
                require(DotEnvFile.parse("  \(key)\t= '\(value)' # comment").values == [key: value], "'\(value)' does not parse back")
            }
        }
        // What was understood, written out again, is understood the same way.
        let rewritten = parsed.values.sorted { $0.key < $1.key }.map { "\($0.key)=\(doubleQuoted($0.value))" }.joined(separator: "\r\n")
        let again = DotEnvFile.parse(rewritten)
        require(again.errors.isEmpty && again.values == parsed.values, "the parsed values written out parse differently")
    }

    static func isValidName(_ key: String) -> Bool {
        let bytes = Array(key.utf8)
        let letter = { (byte: UInt8) in (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte) || byte == 0x5f }
        guard let first = bytes.first, letter(first) else { return false }
        return bytes.allSatisfy { letter($0) || (0x30...0x39).contains($0) }
    }

    /// A double-quoted value with the escapes the parser documents.
    static func doubleQuoted(_ value: String) -> String {
        var result = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Printable ASCII without quotes, `#`, backslashes or blanks at the ends: the same bare,
    /// single-quoted or double-quoted.
    static func isPlain(_ value: String) -> Bool {
        value.utf8.allSatisfy { (0x21...0x7e).contains($0) && $0 != 0x22 && $0 != 0x27 && $0 != 0x23 && $0 != 0x5c }
    }
}
