import Crypto

/// The SHA-256 of a token: what caches are keyed by and logs refer to, so neither holds the token.
public struct TokenFingerprint: Sendable, Hashable, CustomStringConvertible {
    // The digest as four words: cheap to hash and compare on the hot path.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    public init(of token: String) {
        var token = token
        let digest = token.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        words = digest.withUnsafeBytes { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }
    }

    /// A fingerprint given as 64 hex digits (the admin API's way to name a token without sending it).
    public init?(hex: String) {
        let bytes = Array(hex.utf8)
        guard bytes.count == 64 else { return nil }
        var raw = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 {
            guard let high = Hex.value(of: bytes[2 * index]), let low = Hex.value(of: bytes[2 * index + 1]) else { return nil }
            raw[index] = high << 4 | low
        }
        words = raw.withUnsafeBytes { bytes in
            (bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
             bytes.loadUnaligned(fromByteOffset: 16, as: UInt64.self), bytes.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        }
    }

    /// The digest's 32 bytes.
    public var bytes: [UInt8] {
        withUnsafeBytes(of: words) { Array($0) }
    }

    /// All 64 hex digits.
    public var hex: String { Hex.encode(bytes) }

    /// The first 8 hex digits.
    public var shortHex: String { Hex.encode(bytes.prefix(4)) }

    public var description: String { shortHex }

    public static func == (lhs: TokenFingerprint, rhs: TokenFingerprint) -> Bool {
        lhs.words == rhs.words
    }

    public func hash(into hasher: inout Hasher) {
        // The words are already uniformly distributed: one word is enough for the table.
        hasher.combine(words.0)
    }
}
