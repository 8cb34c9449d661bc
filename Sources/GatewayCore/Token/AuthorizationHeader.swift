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
        guard let value = values.first else { return .missing }
        guard values.count == 1 else { return .malformed }
        return parse(Substring(value))
    }

    /// Reads the values of every `Authorization` header of a request.
    public static func parse(_ values: some Collection<some StringProtocol>) -> AuthorizationHeader {
        guard let value = values.first else { return .missing }
        guard values.count == 1 else { return .malformed }
        return parse(value)
    }

    /// Reads one `Authorization` header value: `Bearer` (any case), one or more spaces, and an
    /// RFC 6750 b64token (`A-Z a-z 0-9 - . _ ~ + /` then any `=`).
    public static func parse(_ value: some StringProtocol) -> AuthorizationHeader {
        parse(Substring(value))
    }

    /// Reads one `Authorization` header value.
    public static func parse(_ value: Substring) -> AuthorizationHeader {
        let utf8 = value.utf8
        var index = utf8.startIndex
        let scheme = "bearer".utf8
        for expected in scheme {
            guard index < utf8.endIndex, utf8[index] | 0x20 == expected else {
                return isOtherScheme(utf8) ? .otherScheme : .malformed
            }
            utf8.formIndex(after: &index)
        }
        guard index < utf8.endIndex, utf8[index] == UInt8(ascii: " ") else {
            // "Bearer" alone, or a longer scheme name such as "Bearerx".
            return index == utf8.endIndex ? .malformed : (isOtherScheme(utf8) ? .otherScheme : .malformed)
        }
        while index < utf8.endIndex, utf8[index] == UInt8(ascii: " ") { utf8.formIndex(after: &index) }
        var end = utf8.endIndex
        while end > index, utf8[utf8.index(before: end)] == UInt8(ascii: " ") || utf8[utf8.index(before: end)] == UInt8(ascii: "\t") {
            utf8.formIndex(before: &end)
        }
        let token = utf8[index..<end]
        guard !token.isEmpty, token.count <= maximumTokenLength, isB64Token(token) else { return .malformed }
        return .bearer(BearerToken(String(decoding: token, as: UTF8.self)))
    }

    private static func isB64Token(_ bytes: some Collection<UInt8>) -> Bool {
        var seenPadding = false
        var seenCharacter = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "="):
                // Padding only after at least one token character.
                if !seenPadding && !seenCharacter { return false }
                seenPadding = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                if seenPadding { return false }
                seenCharacter = true
            default:
                return false
            }
        }
        return true
    }

    /// A scheme other than Bearer: a token of letters and digits followed by a space or the end.
    private static func isOtherScheme(_ utf8: some Collection<UInt8>) -> Bool {
        let scheme = utf8.prefix { $0 != UInt8(ascii: " ") }
        return !scheme.isEmpty && scheme.allSatisfy(ConfigurationValue.isTokenCharacter)
    }
}
