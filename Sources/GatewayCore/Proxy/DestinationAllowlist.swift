/// `DESTINATION_ALLOWLIST`: the origins the proxy may forward to. Nothing else is reachable.
///
/// Entries are origins (`https://api.example.com`, `http://10.0.0.5:8080`, `http://[::1]:9000`) or
/// host patterns (`https://*.internal.example.com`). Each names one scheme and one port (the
/// scheme's default when none is written). A pattern matches any name that ends in `.` and its
/// domain, at any depth (`a.internal.example.com`, `a.b.internal.example.com`), but not the domain
/// itself and never an IP address. Hosts compare after normalisation: case, a trailing dot and
/// IPv6 spellings do not matter.
public struct DestinationAllowlist: Sendable, Equatable, CustomStringConvertible {
    public struct Entry: Sendable, Equatable, CustomStringConvertible {
        let scheme: DestinationOrigin.Scheme
        let host: OriginSyntax.Host
        let port: Int

        /// Reads one entry: an origin or pattern, optionally with a trailing `/`, nothing more.
        public static func parse(_ text: some StringProtocol) throws(DestinationError) -> Entry {
            let parsed = try OriginSyntax.parse(Substring(text), allowsWildcard: true)
            guard parsed.rest.isEmpty || parsed.rest == "/" else {
                throw DestinationError(
                    parsed.rest.first == "/" ? .path : .queryOrFragment, "is not an origin: leave out the path, query and fragment")
            }
            return Entry(scheme: parsed.scheme, host: parsed.host, port: parsed.port)
        }

        public func matches(_ origin: DestinationOrigin) -> Bool {
            guard origin.scheme == scheme, origin.port == port else { return false }
            switch host {
            case .exact(let name, _):
                return origin.host == name
            case .subdomains(let domain):
                return origin.hostKind == .name && origin.host.hasSuffix(domain)
                    && origin.host.utf8.dropLast(domain.utf8.count).last == UInt8(ascii: ".")
            }
        }

        public var description: String {
            let hostText: String
            switch host {
            case .exact(let name, _): hostText = name
            case .subdomains(let domain): hostText = "*." + domain
            }
            return "\(scheme.rawValue)://\(hostText)\(port == scheme.defaultPort ? "" : ":\(port)")"
        }
    }

    public let entries: [Entry]

    public init(_ entries: [Entry]) {
        self.entries = entries
    }

    /// Reads a comma (or white space) separated list, collecting every bad entry.
    public static func parse(_ text: String) -> (allowlist: DestinationAllowlist, problems: [String]) {
        var entries: [Entry] = []
        var problems: [String] = []
        for item in text.split(whereSeparator: { $0 == "," || $0.isWhitespace }) {
            do {
                entries.append(try Entry.parse(item))
            } catch {
                problems.append("'\(item)' \(error.message)")
            }
        }
        if entries.isEmpty, problems.isEmpty {
            problems.append("names no destination; list origins such as https://api.example.com")
        }
        return (DestinationAllowlist(entries), problems)
    }

    public func allows(_ origin: DestinationOrigin) -> Bool {
        entries.contains { $0.matches(origin) }
    }

    public var description: String { entries.map(\.description).joined(separator: ", ") }
}
