/// Where a proxied request goes: scheme, host and port, normalised so that two spellings of the
/// same place compare equal (case, a trailing dot, a default port written out, IPv6 forms).
public struct DestinationOrigin: Sendable, Hashable, CustomStringConvertible {
    public enum Scheme: String, Sendable, Hashable {
        case http
        case https

        public var defaultPort: Int { self == .http ? 80 : 443 }
    }

    /// What kind of host it is: only a `name` can match a `*.` pattern.
    public enum HostKind: Sendable, Hashable {
        case name
        case ipv4
        case ipv6
    }

    public let scheme: Scheme
    /// Lower case, without a trailing dot; an IPv6 address in its canonical form, in brackets.
    public let host: String
    public let hostKind: HostKind
    public let port: Int

    public init(scheme: Scheme, host: String, hostKind: HostKind, port: Int) {
        self.scheme = scheme
        self.host = host
        self.hostKind = hostKind
        self.port = port
    }

    /// `host`, or `host:port` when the port is not the scheme's default: the `Host` header's value.
    public var authority: String {
        port == scheme.defaultPort ? host : "\(host):\(port)"
    }

    /// `https://api.example.com`, `http://10.0.0.5:8080`: how logs and errors name it.
    public var description: String { "\(scheme.rawValue)://\(authority)" }
}
