/// A request's `Destination` header, read strictly: an http(s) origin and, optionally, a path
/// that prefixes the request's own path (as the original project's proxy joined them).
///
/// `https://api.example.com` and a request for `/orders?x=1` go to
/// `https://api.example.com/orders?x=1`; `https://api.example.com/v2` sends it to `/v2/orders?x=1`.
public struct Destination: Sendable, Equatable {
    public let origin: DestinationOrigin
    /// Empty, or starting with `/` and without a trailing `/`.
    public let pathPrefix: String

    /// Reads a header value. Userinfo, schemes other than http(s), non-ASCII hosts, a query or a
    /// fragment are errors: a destination names where to go, the request target says what to get.
    public static func parse(_ text: some StringProtocol) throws(DestinationError) -> Destination {
        let parsed = try OriginSyntax.parse(Substring(text), allowsWildcard: false)
        guard case .exact(let host, let kind) = parsed.host else {
            throw DestinationError(.wildcard, "has a '*' in its host")
        }
        if parsed.rest.contains("?") || parsed.rest.contains("#") {
            throw DestinationError(.queryOrFragment, "carries a query or fragment; send them in the request target instead")
        }
        if parsed.rest.utf8.contains(where: { $0 >= 0x80 }) {
            throw DestinationError(.malformed, "has a path with non-ASCII characters (percent-encode them)")
        }
        var prefix = parsed.rest
        while prefix.hasSuffix("/") { prefix = prefix.dropLast() }
        return Destination(
            origin: DestinationOrigin(scheme: parsed.scheme, host: host, hostKind: kind, port: parsed.port), pathPrefix: String(prefix))
    }

    /// The URL to forward to: the origin, the path prefix, then the request target (origin-form,
    /// starting with `/`) exactly as it came.
    public func url(forRequestTarget target: some StringProtocol) -> String {
        "\(origin.scheme.rawValue)://\(origin.authority)\(pathPrefix)\(target)"
    }
}
