import Crypto

/// An OAuth 2.0 bearer token taken from a request.
///
/// Its `description` never shows the token: logs use `logID`, the first 8 hex digits of its
/// SHA-256, and caches key on `fingerprint`, the whole digest.
public struct BearerToken: Sendable, Hashable, CustomStringConvertible {
    /// The token exactly as sent. Only the introspection request reads it.
    public let value: String
    /// SHA-256 of the token.
    public let fingerprint: TokenFingerprint

    public init(_ value: String) {
        self.value = value
        self.fingerprint = TokenFingerprint(of: value)
    }

    /// 8 hex digits of the fingerprint, enough to correlate log lines.
    public var logID: String { fingerprint.shortHex }

    public var description: String { "token#\(logID)" }

    public static func == (lhs: BearerToken, rhs: BearerToken) -> Bool { lhs.fingerprint == rhs.fingerprint }
    public func hash(into hasher: inout Hasher) { hasher.combine(fingerprint) }
}
