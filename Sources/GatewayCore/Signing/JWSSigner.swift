/// The JWS algorithms the gateway signs with (RFC 7518 §3, RFC 8037 §3.1).
public enum JWTAlgorithm: String, Sendable {
    /// HMAC with SHA-256 (`JWT_SECRET`).
    case hs256 = "HS256"
    /// ECDSA on P-256 with SHA-256; the signature is the raw r‖s (64 bytes), not DER.
    case es256 = "ES256"
    /// RSASSA-PKCS1-v1_5 with SHA-256, keys of 2048 bits or more.
    case rs256 = "RS256"
    /// Ed25519.
    case edDSA = "EdDSA"
}

/// Signs a JWT payload into a compact JWS, with the header encoded once at start-up.
public protocol JWSSigner: Sendable {
    var algorithm: JWTAlgorithm { get }
    /// The `kid` in the header (the key's RFC 7638 thumbprint); nil for HS256.
    var keyID: String? { get }
    func sign(payload: [UInt8]) throws(SigningFailure) -> String
}

/// The crypto library could not produce a signature (in practice: out of memory). A 503, never
/// a 200 without its JWT.
public struct SigningFailure: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension HS256Signer: JWSSigner {
    public var algorithm: JWTAlgorithm { .hs256 }
    public var keyID: String? { nil }
}
