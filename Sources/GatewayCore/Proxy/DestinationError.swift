/// Why a `Destination` header or an allowlist entry cannot be read. Its message never repeats the
/// text it is about (a header value is the client's), so it is safe in a response body and a log.
public struct DestinationError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        /// Not `scheme://host[:port]…`, or a host, port or path that is not well formed.
        case malformed
        /// A scheme other than http or https.
        case unsupportedScheme
        /// `user@` or `user:password@` before the host (`http://127.0.0.1@evil.test` tricks).
        case userinfo
        /// A host with non-ASCII characters: its IDNA (`xn--`) form is required.
        case nonASCIIHost
        /// A query or fragment where only an origin (and a path prefix) belongs.
        case queryOrFragment
        /// A path where only an origin belongs (allowlist entries).
        case path
        /// A `*` that is not a whole first label, or a pattern too broad to be meant.
        case wildcard
    }

    public let reason: Reason
    public let message: String

    init(_ reason: Reason, _ message: String) {
        self.reason = reason
        self.message = message
    }

    public var description: String { message }
}
