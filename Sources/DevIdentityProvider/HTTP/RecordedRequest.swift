/// A `POST /introspect` request as the provider received it, so tests can check what the
/// gateway actually sent (credentials, encoding, framing).
public struct RecordedRequest: Sendable {
    /// Header fields in the order received, names as spelled by the client. `Host` comes first
    /// when the client sent it (HTTP/1 parsing moves it out of the other fields).
    public let headers: [(name: String, value: String)]
    /// The raw body, decoded as UTF-8 (invalid bytes become U+FFFD).
    public let body: String
    /// Whether the request carried a `Content-Length` header.
    public let hasContentLength: Bool
    /// Whether the request body was sent with `Transfer-Encoding: chunked`.
    public let isChunked: Bool

    /// The value of the first header with this name, compared case-insensitively.
    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.first { $0.name.lowercased() == wanted }?.value
    }
}
