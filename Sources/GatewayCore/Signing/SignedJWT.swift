/// A JWT the gateway issued, with the moment it expires (so a cache can tell when to re-sign).
public struct SignedJWT: Sendable, Equatable {
    public let compact: String
    public let expiresAt: Double

    public init(compact: String, expiresAt: Double) {
        self.compact = compact
        self.expiresAt = expiresAt
    }
}
