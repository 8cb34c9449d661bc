/// What the `Authorization` header(s) of a request say about a bearer token (RFC 6750 §2.1).
public enum AuthorizationHeader: Sendable, Equatable {
    /// No `Authorization` header at all.
    case missing
    /// A header with another scheme (`Basic …`): no bearer token was presented.
    case otherScheme
    /// `Bearer` with something that is not a token: empty, bad characters, too long, or several headers.
    case malformed
    case bearer(BearerToken)

    /// Longest token accepted; real access tokens (JWTs included) stay far below.
    public static let maximumTokenLength = 8 * 1024

    /// Reads the values of every `Authorization` header of a request. (Not generic: called from
    /// another module on every request, where a generic call would not be specialised.)
    public static func parse(_ values: [String]) -> AuthorizationHeader {
        parse(first: values.first, count: values.count)
    }

    /// The same, from the first value and how many headers there were (for an edge that collects
    /// headers in one pass): none is missing, more than one is malformed.
    public static func parse(first: String?, count: Int) -> AuthorizationHeader {
        guard let first else { return .missing }
        guard count == 1 else { return .malformed }
        return parse(Substring(first))
    }

    /// Reads one `Authorization` header value: `Bearer` (any case), one or more spaces, and an
    /// RFC 6750 b64token (`A-Z a-z 0-9 - . _ ~ + /` then any `=`).
    public static func parse(_ value: some StringProtocol) -> AuthorizationHeader {
        parse(Substring(value))
    }

    /// Reads one `Authorization` header value.
    public static func parse(_ value: Substring) -> AuthorizationHeader {
        var value = value
        return value.withUTF8(parse(bytes:))
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> AuthorizationHeader {
        // "Bearer" in any case, then a space.
        let schemeLength = 6
        guard bytes.count > schemeLength, bytes[0] | 0x20 == UInt8(ascii: "b"), bytes[1] | 0x20 == UInt8(ascii: "e"),
              bytes[2] | 0x20 == UInt8(ascii: "a"), bytes[3] | 0x20 == UInt8(ascii: "r"), bytes[4] | 0x20 == UInt8(ascii: "e"),
              bytes[5] | 0x20 == UInt8(ascii: "r"), bytes[schemeLength] == UInt8(ascii: " ")
        else {
            // Another scheme, "Bearer" alone, or a longer scheme name such as "Bearerx".
            return bytes.count != schemeLength && isOtherScheme(bytes) ? .otherScheme : .malformed
        }
        var start = schemeLength
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        var end = bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        let token = UnsafeBufferPointer(rebasing: bytes[start..<end])
        guard !token.isEmpty, token.count <= maximumTokenLength, isB64Token(token) else { return .malformed }
        return .bearer(BearerToken(String(decoding: token, as: UTF8.self)))
    }

    /// RFC 6750 b64token: at least one of `A-Z a-z 0-9 - . _ ~ + /`, then any number of `=`.
    private static func isB64Token(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count, isTokenCharacter(bytes[index]) { index += 1 }
        guard index > 0 else { return false }
        while index < bytes.count, bytes[index] == UInt8(ascii: "=") { index += 1 }
        return index == bytes.count
    }

    private static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
            true
        default:
            false
        }
    }

    /// A scheme other than Bearer: a token of letters and digits followed by a space or the end.
    private static func isOtherScheme(_ utf8: some Collection<UInt8>) -> Bool {
        let scheme = utf8.prefix { $0 != UInt8(ascii: " ") }
        return !scheme.isEmpty && scheme.allSatisfy(ConfigurationValue.isTokenCharacter)
    }
}
