/// The fields of an `application/x-www-form-urlencoded` body (WHATWG URL §5.1), the encoding
/// of every OAuth endpoint request (RFC 6749 §4.4.2, RFC 7662 §2.1, RFC 7009 §2.1).
struct FormFields: Sendable {
    private let values: [String: String]

    subscript(name: String) -> String? { values[name] }

    /// Decodes `name=value&…`: `+` is a space and `%XX` a byte; the bytes must be UTF-8.
    ///
    /// Stricter than WHATWG on purpose: a malformed escape or a repeated field is an error
    /// instead of being passed through, because this provider exists to catch clients that
    /// encode wrongly. RFC 6749 §3.1 forbids repeating a parameter.
    init(decoding body: [UInt8]) throws(RequestProblem) {
        var values: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = try parts.count > 1 ? Self.decode(parts[1]) : ""
            guard values[name] == nil else {
                throw RequestProblem("parameter \"\(name)\" is repeated")
            }
            values[name] = value
        }
        self.values = values
    }

    /// Decodes one form-encoded component (also used for HTTP Basic credentials, RFC 6749 §2.3.1).
    static func decode(_ encoded: some Collection<UInt8>) throws(RequestProblem) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(encoded.count)
        var index = encoded.startIndex
        while index != encoded.endIndex {
            let byte = encoded[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = encoded.index(after: index)
                guard high != encoded.endIndex, encoded.index(after: high) != encoded.endIndex,
                    let highValue = hexValue(encoded[high]),
                    let lowValue = hexValue(encoded[encoded.index(after: high)])
                else {
                    throw RequestProblem("malformed percent-encoding in \"\(String(decoding: encoded, as: UTF8.self))\"")
                }
                bytes.append(highValue << 4 | lowValue)
                index = encoded.index(after: high)
            default:
                bytes.append(byte)
            }
            index = encoded.index(after: index)
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw RequestProblem("a form field is not valid UTF-8 once percent-decoded")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
