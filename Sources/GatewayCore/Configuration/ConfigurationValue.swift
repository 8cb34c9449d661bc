/// Parsers for the textual values the configuration accepts. Pure functions, so each rule is
/// tested directly.
public enum ConfigurationValue {
    /// `true/false`, `1/0`, `yes/no`, `on/off`, case-insensitive. Anything else is nil (an error).
    public static func boolean(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// `500ms`, `2s`, `5m`, `1h`, or plain seconds (`30`, `1.5`). Negative values are nil.
    public static func duration(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
        var number = Substring(text)
        var scale: Double = 1000
        for unit in units where text.hasSuffix(unit.suffix) {
            number = text.dropLast(unit.suffix.count)
            scale = unit.milliseconds
            break
        }
        guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let value = Double(number), value.isFinite, value >= 0, value * scale < 1e12
        else { return nil }
        return .milliseconds(Int64((value * scale).rounded()))
    }

    /// A TCP port, 0 (any free port, for tests) to 65535.
    public static func port(_ text: String) -> Int? {
        guard let value = Int(text), (0...65535).contains(value) else { return nil }
        return value
    }

    /// An HTTP header field name (RFC 9110 token characters).
    public static func isHeaderName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy(isTokenCharacter)
    }

    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
