import NIOCore

/// The one strict reading of `scheme://host[:port]…` behind both allowlist entries and
/// `Destination` headers, so the two can never disagree about which host a text names.
///
/// Stricter than a URL parser on purpose: what a lenient parser repairs (a backslash, `%`-escapes
/// or a userinfo in the authority, `0x7f.1`, a host with spaces) is where two parsers start to
/// disagree, and such a disagreement is how an allowlist is bypassed. So all of it is refused.
enum OriginSyntax {
    /// A host as written: a name, an IP address, or (allowlist only) `*.` and a domain.
    enum Host: Equatable {
        case exact(String, DestinationOrigin.HostKind)
        case subdomains(of: String)
    }

    struct Parsed {
        var scheme: DestinationOrigin.Scheme
        var host: Host
        var port: Int
        /// Whatever follows the authority: empty, or starting with `/`, `?` or `#`.
        var rest: Substring
    }

    static let maximumHostLength = 253

    static func parse(_ text: Substring, allowsWildcard: Bool) throws(DestinationError) -> Parsed {
        let utf8 = text.utf8
        if utf8.contains(where: { $0 <= 0x20 || $0 == 0x7f }) {
            throw DestinationError(.malformed, "contains spaces or control characters")
        }
        if utf8.contains(UInt8(ascii: "\\")) {
            throw DestinationError(.malformed, "contains a backslash")
        }
        guard let separator = text.firstRange(of: "://") else {
            throw DestinationError(.malformed, "is not an absolute URL (scheme://host)")
        }
        let schemeText = text[..<separator.lowerBound].lowercased()
        guard let scheme = DestinationOrigin.Scheme(rawValue: schemeText) else {
            throw DestinationError(.unsupportedScheme, "uses a scheme other than http or https")
        }
        let afterScheme = text[separator.upperBound...]
        let authorityEnd = afterScheme.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        if authority.contains("@") {
            throw DestinationError(.userinfo, "carries a userinfo (user@ or user:password@) before the host")
        }
        let (hostText, portText) = try splitHostAndPort(authority)
        return Parsed(
            scheme: scheme, host: try host(hostText, allowsWildcard: allowsWildcard),
            port: try port(portText, default: scheme.defaultPort), rest: afterScheme[authorityEnd...])
    }

    private static func splitHostAndPort(_ authority: Substring) throws(DestinationError) -> (host: Substring, port: Substring?) {
        if authority.first == "[" {
            guard let close = authority.firstIndex(of: "]") else {
                throw DestinationError(.malformed, "has an IPv6 address without its closing ']'")
            }
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.first == ":" else {
                throw DestinationError(.malformed, "has characters after the IPv6 address")
            }
            return (authority[...close], after.isEmpty ? nil : after.dropFirst())
        }
        let parts = authority.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return (parts[0], nil)
        case 2: return (parts[0], parts[1])
        default: throw DestinationError(.malformed, "has more than one ':' in its host and port")
        }
    }

    private static func port(_ text: Substring?, default defaultPort: Int) throws(DestinationError) -> Int {
        guard let text else { return defaultPort }
        guard !text.isEmpty, text.count <= 5, text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let port = Int(text),
              (1...65535).contains(port)
        else {
            throw DestinationError(.malformed, "has a port that is not a number from 1 to 65535")
        }
        return port
    }

    private static func host(_ text: Substring, allowsWildcard: Bool) throws(DestinationError) -> Host {
        if text.utf8.contains(where: { $0 >= 0x80 }) {
            throw DestinationError(.nonASCIIHost, "has a non-ASCII host; write it in its IDNA form (xn--…)")
        }
        if text.first == "[" {
            return .exact(try ipv6(text.dropFirst().dropLast()), .ipv6)
        }
        var name = text.lowercased()[...]
        if name.hasSuffix(".") { name = name.dropLast() }
        if name.isEmpty {
            throw DestinationError(.malformed, "has no host")
        }
        if name.hasPrefix("*.") {
            guard allowsWildcard else { throw DestinationError(.wildcard, "has a '*' in its host") }
            let domain = name.dropFirst(2)
            try validateName(domain)
            guard domain.contains(".") else {
                throw DestinationError(.wildcard, "matches a whole top-level domain; name at least two labels after '*.'")
            }
            return .subdomains(of: String(domain))
        }
        if name.contains("*") {
            throw DestinationError(.wildcard, "has a '*' that is not the whole first label (write *.example.com)")
        }
        if let last = name.split(separator: ".").last, last.allSatisfy(\.isNumber) || last.hasPrefix("0x") {
            // Resolvers read 127.1, 2130706433 and 0x7f.0.0.1 as addresses: accept only the plain form.
            guard isDottedQuad(name) else {
                throw DestinationError(.malformed, "has a numeric host that is not a plain IPv4 address (a.b.c.d, no leading zeros)")
            }
            return .exact(String(name), .ipv4)
        }
        try validateName(name)
        return .exact(String(name), .name)
    }

    /// Letters, digits, `-` and `_` in labels of 1 to 63 characters (RFC 1123, with the
    /// underscore that internal names use).
    private static func validateName(_ name: Substring) throws(DestinationError) {
        guard name.utf8.count <= maximumHostLength else {
            throw DestinationError(.malformed, "has a host longer than \(maximumHostLength) characters")
        }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            guard (1...63).contains(label.utf8.count),
                  label.utf8.allSatisfy(isNameCharacter)
            else {
                throw DestinationError(.malformed, "has a host that is not a valid name (letters, digits and '-' in dot-separated labels)")
            }
        }
    }

    private static func isDottedQuad(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            !part.isEmpty && part.count <= 3 && part.allSatisfy(\.isASCII) && part.allSatisfy(\.isNumber)
                && (part == "0" || part.first != "0") && Int(part)! <= 255
        }
    }

    /// The canonical text form (RFC 5952), so `[0:0::1]` and `[::1]` are one host.
    private static func ipv6(_ text: Substring) throws(DestinationError) -> String {
        guard text.contains(":"), text.utf8.allSatisfy({ $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || isHexDigit($0) }),
              let address = try? SocketAddress(ipAddress: String(text), port: 0), case .v6 = address, let canonical = address.ipAddress
        else {
            throw DestinationError(.malformed, "has an IPv6 address that is not well formed (zone ids are not accepted)")
        }
        return "[\(canonical)]"
    }

    private static func isNameCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte | 0x20)
    }
}
