/// Writes JSON text by hand: the exact bytes matter here (member order, integer versus
/// double), because tests compare them and the gateway parses them.
enum JSONText {
    /// An object with these members, in this order.
    static func object(_ members: [(key: String, value: DevJSON)]) -> String {
        var text = "{"
        for (index, member) in members.enumerated() {
            if index > 0 { text += "," }
            text += string(member.key)
            text += ":"
            text += value(member.value)
        }
        return text + "}"
    }

    static func value(_ json: DevJSON) -> String {
        switch json {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number):
            // JSON has no NaN or infinity; null is the least surprising stand-in.
            return number.isFinite ? "\(number)" : "null"
        case .string(let text): return string(text)
        case .array(let elements): return "[" + elements.map(value).joined(separator: ",") + "]"
        case .object(let members):
            // Sorted, so the same claims always give the same bytes.
            return object(members.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) })
        }
    }

    static func string(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            case "\r": escaped += "\\r"
            case "\t": escaped += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16, uppercase: false)
                escaped += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }
}
