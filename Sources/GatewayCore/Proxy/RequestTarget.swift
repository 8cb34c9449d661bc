/// Whether a request target can be forwarded byte for byte: origin form (`/path?query`), with
/// only the characters RFC 3986 allows there and well-formed `%` escapes.
///
/// HTTP parsers accept more (`|`, `{`, `"`, a stray `%`), but a URL cannot carry them: the HTTP
/// client would percent-encode them on the way, so the destination would see a target other
/// than the one the client sent and the policy judged. Such a target is refused instead.
public enum RequestTarget {
    public static func isForwardable(_ target: some StringProtocol) -> Bool {
        let bytes = Array(target.utf8)
        guard bytes.first == UInt8(ascii: "/") else { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return false }
                index += 3
                continue
            }
            guard isAllowed(byte) else { return false }
            index += 1
        }
        return true
    }

    /// unreserved, sub-delims, `:`, `@` (pchar), and `/` and `?` (path separators and the query).
    private static func isAllowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "-._~!$&'()*+,;=:@/?".utf8.contains(byte)
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
