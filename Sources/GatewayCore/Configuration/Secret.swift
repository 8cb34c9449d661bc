/// A configuration value that must never be printed: client secrets, signing keys, admin tokens.
///
/// Its `description` is redacted, so interpolating a `Secret` into a log line or an error
/// message cannot leak it. Read the value only where it is used (`reveal()`).
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// The secret's value, for the one place that needs it (signing, client authentication).
    public func reveal() -> String { value }

    /// The length in UTF-8 bytes, for validation messages that must not show the value.
    public var byteCount: Int { value.utf8.count }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "Secret(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
