import Foundation
import GatewayCore

/// The proxy's `Destination` header (a client's) and `DESTINATION_ALLOWLIST` (the operator's).
///
/// Input: `allowlist` NUL `Destination value` NUL `request target` (prefixed with `/`).
///
/// Properties: an origin is normalised (lower case, no trailing dot, a port in 1...65535, a
/// name of `[a-z0-9._-]`, a dotted quad or a bracketed IPv6 address) and re-parses from its own
/// text to itself; allowlist entries re-parse from their descriptions; `allows` is exactly "an
/// entry with this scheme and port names this host, or is `*.domain` and the host is a name
/// below domain"; and Foundation's `URL` (which AsyncHTTPClient connects by) reads the URL we
/// forward to with the same host and port: the allowlist cannot be stepped around by a spelling
/// two parsers disagree on.
enum DestinationFuzz {
    static func run(_ bytes: [UInt8]) {
        let input = parts(bytes, 3)
        let (allowlist, problems) = DestinationAllowlist.parse(text(input[0]))
        require(DestinationAllowlist.parse(text(input[0])).allowlist == allowlist, "allowlist parsing is not deterministic")
        require(!problems.isEmpty || !allowlist.entries.isEmpty, "an allowlist with no entry and no problem")
        for entry in allowlist.entries {
            let again = try? DestinationAllowlist.Entry.parse(entry.description)
            require(again == entry, "allowlist entry \(entry) does not re-parse from its description")
        }

        let value = text(input[1])
        let destination: Destination
        do {
            destination = try Destination.parse(value)
        } catch {
            require((try? Destination.parse(value)) == nil, "Destination parsing is not deterministic")
            return
        }
        let origin = destination.origin
        require((1...65535).contains(origin.port), "port \(origin.port)")
        require(origin.host == origin.host.lowercased() && !origin.host.hasSuffix(".") && !origin.host.isEmpty, "host not normalised: \(origin.host)")
        switch origin.hostKind {
        case .name:
            require(origin.host.utf8.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || "._-".utf8.contains($0) },
                    "a name with other characters: \(origin.host.debugDescription)")
        case .ipv4:
            let octets = origin.host.split(separator: ".", omittingEmptySubsequences: false)
            require(octets.count == 4 && octets.allSatisfy { UInt8($0) != nil && String(UInt8($0)!) == $0 }, "not a dotted quad: \(origin.host)")
        case .ipv6:
            require(origin.host.hasPrefix("[") && origin.host.hasSuffix("]"), "IPv6 without brackets: \(origin.host)")
        }
        require(destination.pathPrefix.isEmpty || (destination.pathPrefix.hasPrefix("/") && !destination.pathPrefix.hasSuffix("/")),
                "path prefix \(destination.pathPrefix.debugDescription)")
        let respelled = try? Destination.parse(origin.description + destination.pathPrefix)
        require(respelled == destination, "\(origin)\(destination.pathPrefix) does not re-parse to the same destination")

        // allows(origin) against a matcher written from the entries' descriptions.
        let expected = allowlist.entries.contains { entry in
            guard let separator = entry.description.range(of: "://") else { return false }
            let scheme = entry.description[..<separator.lowerBound]
            var authority = entry.description[separator.upperBound...]
            var port = scheme == "https" ? 443 : 80
            if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
                port = Int(authority[authority.index(after: colon)...]) ?? -1
                authority = authority[..<colon]
            }
            guard scheme == origin.scheme.rawValue, port == origin.port else { return false }
            if authority.hasPrefix("*.") {
                return origin.hostKind == .name && origin.host.hasSuffix("." + authority.dropFirst(2))
            }
            return authority == origin.host
        }
        require(allowlist.allows(origin) == expected, "allows(\(origin)) is \(allowlist.allows(origin)) for [\(allowlist)]")

        // The URL we would forward to, read by Foundation, goes to the same host and port.
        let target = "/" + text(input[2])
        let forwarded = destination.url(forRequestTarget: target)
        require(forwarded.hasPrefix(origin.description + destination.pathPrefix + "/"), "the forwarded URL does not start with the destination")
        if let url = URL(string: forwarded) {
            var host = (url.host ?? "").lowercased()
            if host.hasSuffix(".") { host.removeLast() }
            let originHost = origin.hostKind == .ipv6 ? String(origin.host.dropFirst().dropLast()) : origin.host
            let urlHost = origin.hostKind == .ipv6 ? host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")) : host
            require(urlHost == originHost || (origin.hostKind == .ipv6 && sameIPv6(urlHost, originHost)),
                    "Foundation reads host \(host.debugDescription) from \(forwarded.debugDescription), the allowlist checked \(origin.host)")
            require((url.port ?? origin.scheme.defaultPort) == origin.port, "Foundation reads port \(url.port.map(String.init) ?? "default") from \(forwarded.debugDescription)")
            require(url.scheme?.lowercased() == origin.scheme.rawValue, "Foundation reads scheme \(url.scheme ?? "none") from \(forwarded.debugDescription)")
            require(url.user == nil && url.password == nil, "Foundation reads a userinfo in \(forwarded.debugDescription)")
        }
    }

    static func sameIPv6(_ a: String, _ b: String) -> Bool {
        var first = in6_addr(), second = in6_addr()
        return inet_pton(AF_INET6, a, &first) == 1 && inet_pton(AF_INET6, b, &second) == 1
            && withUnsafeBytes(of: &first, { Array($0) }) == withUnsafeBytes(of: &second, { Array($0) })
    }
}
