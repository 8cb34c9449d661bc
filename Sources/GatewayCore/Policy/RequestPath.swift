/// The path of the original request, normalised the way a careful upstream would resolve it,
/// so a policy rule cannot be stepped around by spelling the same path differently.
///
/// From the request target (origin form `/a/b?q`, or absolute form `http://host/a/b`): the query
/// is dropped, each segment percent-decoded once, empty segments (`//`) and `.` removed, `..`
/// resolved, and a trailing slash ignored. `/admin/../admin`, `//admin/`, `/%61dmin` and
/// `/public/%2e%2e/admin` all become `/admin`.
///
/// A target whose meaning upstreams disagree on is refused rather than guessed: a `/`, `\`, NUL
/// or other control character inside a segment (`%2F`, `%5C`, `%00`), `..` above the root, a
/// `;` (path parameters, which Tomcat and Spring strip and nginx does not), a fragment, an
/// escape that decodes to another escape (`%252e`: an upstream that decodes twice would see
/// `.`), malformed escapes and bytes that are not UTF-8 (overlong forms included).
public struct RequestPath: Sendable, Equatable, CustomStringConvertible {
    /// `/a/b`: the segments joined by `/` (`/` for the root), decoded.
    public let bytes: [UInt8]
    /// Where each segment lies in `bytes`.
    let segments: [Range<Int>]

    /// Why a target cannot be normalised safely (for logs; the client gets a plain 403).
    public struct Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public var description: String { String(decoding: bytes, as: UTF8.self) }

    /// Normalises a request target; with `lowercased`, ASCII letters are folded (`ignore_case`).
    public static func normalize(_ target: some StringProtocol, lowercased: Bool = false) -> Result<RequestPath, Refusal> {
        // On contiguous bytes: String index arithmetic would cost several times more (this runs per request).
        var text = String(target)
        return text.withUTF8 { normalize(bytes: $0, lowercased: lowercased) }
    }

    private static func normalize(bytes target: UnsafeBufferPointer<UInt8>, lowercased: Bool) -> Result<RequestPath, Refusal> {
        var start = 0
        if target.first != UInt8(ascii: "/") {
            // Absolute form (RFC 9112 §3.2.2): the path starts after the authority.
            guard let pathStart = pathStartOfAbsoluteForm(target) else { return .failure(Refusal(description: "not a path")) }
            start = pathStart
        }
        var end = start
        while end < target.count, target[end] != UInt8(ascii: "?") { end += 1 }

        var output: [UInt8] = []
        output.reserveCapacity(end - start + 1)
        var segments: [Range<Int>] = []
        segments.reserveCapacity(8)
        var index = start
        while index < end {
            // Each segment is decoded straight after its slash, then kept, dropped or resolved.
            if target[index] == UInt8(ascii: "/") { index += 1 }
            var segmentEnd = index
            while segmentEnd < end, target[segmentEnd] != UInt8(ascii: "/") { segmentEnd += 1 }
            let slash = output.count
            output.append(UInt8(ascii: "/"))
            if let refusal = decode(target, index..<segmentEnd, into: &output, lowercased: lowercased) { return .failure(refusal) }
            switch output.count - slash - 1 {
            case 0:
                output.removeLast()
            case 1 where output[slash + 1] == UInt8(ascii: "."):
                output.removeSubrange(slash...)
            case 2 where output[slash + 1] == UInt8(ascii: ".") && output[slash + 2] == UInt8(ascii: "."):
                guard let last = segments.popLast() else { return .failure(Refusal(description: "'..' above the root")) }
                output.removeSubrange((last.lowerBound - 1)...)
            default:
                segments.append((slash + 1)..<output.count)
            }
            index = segmentEnd
        }
        if output.isEmpty { output.append(UInt8(ascii: "/")) }
        return .success(RequestPath(bytes: output, segments: segments))
    }

    /// Percent-decodes one raw segment onto the end of `output`; nil when it is safe, else why not.
    private static func decode(_ target: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, into output: inout [UInt8], lowercased: Bool) -> Refusal? {
        let start = output.count
        var index = range.lowerBound
        var sawNonASCII = false
        var sawEscape = false
        while index < range.upperBound {
            var byte = target[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < range.upperBound, let high = Hex.value(of: target[index + 1]), let low = Hex.value(of: target[index + 2]) else {
                    return Refusal(description: "malformed percent-escape")
                }
                byte = high << 4 | low
                if byte == UInt8(ascii: "/") { return Refusal(description: "an encoded '/' inside a segment") }
                if byte == UInt8(ascii: "%") { sawEscape = true }
                index += 3
            } else {
                if byte == UInt8(ascii: "#") { return Refusal(description: "a fragment") }
                index += 1
            }
            switch byte {
            case 0..<0x20, 0x7f: return Refusal(description: "a control character")
            case UInt8(ascii: "\\"): return Refusal(description: "a backslash")
            case UInt8(ascii: ";"): return Refusal(description: "a path parameter (';')")
            case 0x80...: sawNonASCII = true
            case UInt8(ascii: "A")...UInt8(ascii: "Z") where lowercased: byte += 0x20
            default: break
            }
            output.append(byte)
        }
        let segment = output[start...]
        if sawEscape, containsEscape(segment) { return Refusal(description: "a double-encoded escape") }
        if sawNonASCII, String(validating: segment, as: UTF8.self) == nil { return Refusal(description: "bytes that are not UTF-8") }
        return nil
    }

    private static func containsEscape(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.count >= 3 else { return false }
        for index in bytes.startIndex..<(bytes.endIndex - 2) where bytes[index] == UInt8(ascii: "%") {
            if Hex.value(of: bytes[index + 1]) != nil, Hex.value(of: bytes[index + 2]) != nil { return true }
        }
        return false
    }

    /// Where the path of an absolute-form target starts (`http://host/p` → the `/`); the end
    /// when it has none (`http://host`, the root). nil when the target is not absolute form.
    private static func pathStartOfAbsoluteForm(_ target: UnsafeBufferPointer<UInt8>) -> Int? {
        let lowered = target.prefix(8).map { $0 | 0x20 }
        let schemeLength: Int
        if lowered.starts(with: "http://".utf8) {
            schemeLength = 7
        } else if lowered.starts(with: "https://".utf8) {
            schemeLength = 8
        } else {
            return nil
        }
        var index = schemeLength
        while index < target.count, target[index] != UInt8(ascii: "/"), target[index] != UInt8(ascii: "?") { index += 1 }
        return index
    }

    /// The number of segments (`/` has none).
    public var segmentCount: Int { segments.count }

    /// Segment `index`'s bytes.
    func segment(_ index: Int) -> ArraySlice<UInt8> { bytes[segments[index]] }
}
