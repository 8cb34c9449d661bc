/// A path pattern of a policy rule, compiled once when the policy is loaded.
///
/// - `/orders/42`: exactly that path (a trailing slash is ignored: `/orders/42/` matches too).
/// - `/orders/*`: one segment in place of `*`: `/orders/42`, not `/orders` or `/orders/42/items`.
///   `*` stands for a whole segment and may appear anywhere: `/orders/*/items`.
/// - `/orders/**`: `/orders` and everything below it, at any depth. `**` only comes last; `/**`
///   matches every path.
///
/// Patterns are written decoded (`/café`, not `/caf%C3%A9`) and are matched against the
/// normalised path (`RequestPath`), so no spelling of a path escapes its rule.
public struct PathPattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal([UInt8])
        case anySegment
    }

    let segments: [Segment]
    /// Ends in `**`.
    let matchesDescendants: Bool
    public let description: String

    /// Why a pattern is not valid, for the policy file's problem list.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public init(_ text: String, lowercased: Bool = false) throws(Problem) {
        guard text.hasPrefix("/") else { throw Problem(description: "'\(text)' must start with '/'") }
        var parts = text.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst()
        // A trailing slash is ignored, as it is in the request path.
        if parts.last?.isEmpty == true { parts = parts.dropLast() }
        var segments: [Segment] = []
        var matchesDescendants = false
        for (offset, part) in parts.enumerated() {
            let raw = String(decoding: part, as: UTF8.self)
            if matchesDescendants { throw Problem(description: "'\(text)': '**' may only be the last segment") }
            switch raw {
            case "**": matchesDescendants = true
            case "*": segments.append(.anySegment)
            case "": throw Problem(description: "'\(text)' has an empty segment ('//')")
            case ".", "..": throw Problem(description: "'\(text)' has a '\(raw)' segment; write the path it stands for")
            default:
                if raw.contains("*") {
                    throw Problem(description: "'\(text)': '*' and '**' stand for whole segments (segment \(offset + 1) is '\(raw)')")
                }
                if let bad = part.first(where: { $0 < 0x20 || $0 == 0x7f || "%;\\?#".utf8.contains($0) }) {
                    let shown = bad < 0x20 || bad == 0x7f ? "a control character" : "'\(Character(Unicode.Scalar(bad)))'"
                    throw Problem(description: "'\(text)' contains \(shown); write the path decoded, without query or parameters")
                }
                segments.append(.literal(lowercased ? part.map { (0x41...0x5a).contains($0) ? $0 + 0x20 : $0 } : Array(part)))
            }
        }
        self.segments = segments
        self.matchesDescendants = matchesDescendants
        self.description = text
    }

    public func matches(_ path: RequestPath) -> Bool {
        let count = path.segmentCount
        guard matchesDescendants ? count >= segments.count : count == segments.count else { return false }
        for (index, segment) in segments.enumerated() {
            if case .literal(let literal) = segment, !path.segment(index).elementsEqual(literal) { return false }
        }
        return true
    }
}
