/// A JWT the gateway issued, with the moment it expires (so a cache can tell when to re-sign).
public struct SignedJWT: Sendable, Equatable {
    public let compact: String
    public let expiresAt: Double
    /// The `kid` it was signed with (nil for HS256): after a key rotation a cached JWT of the old
    /// key is signed anew rather than reused.
    public let keyID: String?

    public init(compact: String, expiresAt: Double, keyID: String? = nil) {
        self.compact = compact
        self.expiresAt = expiresAt
        self.keyID = keyID
    }
}
