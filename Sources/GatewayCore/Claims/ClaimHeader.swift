/// A claim copied into a plain response header (`CLAIM_HEADERS`, e.g. `sub:X-User,email:X-Email`),
/// for upstreams that read headers instead of verifying a JWT.
///
/// A value is sent only when it can be sent faithfully: strings, numbers and booleans as text;
/// an array of those joined by single spaces, provided no element holds a space itself (the
/// joined value would be ambiguous). Anything else is left out rather than altered: objects,
/// `null`, values with control characters (CR/LF: no header injection), leading or trailing
/// whitespace (proxies strip it), and values longer than 4096 bytes. The proxy must overwrite
/// or clear these headers on the way to the upstream, so a client cannot send its own.
public struct ClaimHeader: Sendable, Equatable {
    public let claim: String
    public let header: String

    /// Longer values are left out, not cut (a cut value would lie).
    public static let maximumValueLength = 4096

    public init(claim: String, header: String) {
        self.claim = claim
        self.header = header
    }

    /// `claim:Header` pairs separated by commas; the problems found, each naming its entry.
    public static func parseList(_ text: String) -> Result<[ClaimHeader], ProblemList> {
        var mappings: [ClaimHeader] = []
        var problems: [String] = []
        for entry in text.split(separator: ",").map({ $0.trimmingASCIISpaces() }) where !entry.isEmpty {
            let parts = entry.split(separator: ":", maxSplits: 1).map { $0.trimmingASCIISpaces() }
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                problems.append("'\(entry)' is not claim:Header (e.g. sub:X-User)")
                continue
            }
            guard ConfigurationValue.isHeaderName(parts[1]) else {
                problems.append("'\(parts[1])' is not a valid HTTP header name")
                continue
            }
            if mappings.contains(where: { $0.header.lowercased() == parts[1].lowercased() }) {
                problems.append("header '\(parts[1])' is mapped twice")
                continue
            }
            mappings.append(ClaimHeader(claim: parts[0], header: parts[1]))
        }
        return problems.isEmpty ? .success(mappings) : .failure(ProblemList(problems))
    }

    /// The header value for these claims, or nil when it is absent or cannot be sent faithfully.
    public func value(in claims: TokenClaims) -> String? {
        guard let claim = claims[claim] else { return nil }
        let text: String
        switch claim {
        case .array(let elements):
            var parts: [String] = []
            parts.reserveCapacity(elements.count)
            for element in elements {
                guard let part = Self.scalarText(element), !part.utf8.contains(UInt8(ascii: " ")) else { return nil }
                parts.append(part)
            }
            text = parts.joined(separator: " ")
        default:
            guard let scalar = Self.scalarText(claim) else { return nil }
            text = scalar
        }
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= Self.maximumValueLength,
              bytes.allSatisfy({ $0 >= 0x20 && $0 != 0x7f }),
              bytes.first != UInt8(ascii: " "), bytes.last != UInt8(ascii: " ")
        else { return nil }
        return text
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): return text
        case .integer(let number): return String(number)
        case .bool(let flag): return flag ? "true" : "false"
        case .number:
            var writer = JSONWriter(capacity: 24)
            writer.write(value)
            return String(decoding: writer.bytes, as: UTF8.self)
        case .null, .array, .object: return nil
        }
    }
}

extension StringProtocol {
    fileprivate func trimmingASCIISpaces() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
