import Crypto
import Foundation
import _CryptoExtras

/// The private key JWTs are signed with (`JWT_PRIVATE_KEY`/`JWT_PRIVATE_KEY_FILE`); the
/// algorithm follows from the key: P-256 → ES256, RSA (2048 bits or more) → RS256,
/// Ed25519 → EdDSA.
///
/// Its `description` names the algorithm and `kid`, never the key.
public struct SigningKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    enum Backing: Sendable {
        case es256(P256.Signing.PrivateKey)
        case rs256(_RSA.Signing.PrivateKey)
        case edDSA(Curve25519.Signing.PrivateKey)
    }

    let backing: Backing
    /// The public half, as published in the JWKS.
    public let publicKey: VerificationKey

    public var algorithm: JWTAlgorithm { publicKey.algorithm }
    public var keyID: String { publicKey.keyID }

    /// A private key from PEM: PKCS#8 (`PRIVATE KEY`), SEC1 (`EC PRIVATE KEY`) or PKCS#1
    /// (`RSA PRIVATE KEY`); other blocks in the file (such as `EC PARAMETERS`) are ignored.
    public init(pem text: String) throws(KeyProblem) {
        let blocks = PEMBlock.blocks(in: text)
        let keys = blocks.filter { $0.label.hasSuffix("PRIVATE KEY") }
        guard let block = keys.first else {
            if blocks.contains(where: { $0.label.hasSuffix("PUBLIC KEY") }) {
                throw KeyProblem("holds a public key; the gateway signs with the private key (its public key is published at /.well-known/jwks.json)")
            }
            throw KeyProblem("holds no PEM private key (-----BEGIN PRIVATE KEY-----); make one with e.g. openssl genpkey -algorithm ED25519")
        }
        guard keys.count == 1 else { throw KeyProblem("holds \(keys.count) private keys; give exactly one") }
        if block.label == "ENCRYPTED PRIVATE KEY" || block.hasEncryptionHeaders {
            throw KeyProblem("is encrypted; give it decrypted (openssl pkey -in key.pem -out plain.pem) and protect the file instead")
        }
        backing = try Self.parse(block)
        switch backing {
        case .es256(let key): publicKey = VerificationKey(.es256(key.publicKey))
        case .rs256(let key): publicKey = VerificationKey(.rs256(key.publicKey))
        case .edDSA(let key): publicKey = VerificationKey(.edDSA(key.publicKey))
        }
    }

    private static func parse(_ block: PEMBlock) throws(KeyProblem) -> Backing {
        switch block.label {
        case "EC PRIVATE KEY", "PRIVATE KEY", "RSA PRIVATE KEY":
            break
        case "OPENSSH PRIVATE KEY":
            throw KeyProblem("is in OpenSSH format; give a PEM key (e.g. openssl genpkey -algorithm ED25519 -out key.pem)")
        default:
            throw KeyProblem("holds a '\(block.label)' block, which is not a supported private key")
        }
        if block.label != "RSA PRIVATE KEY", let key = try? P256.Signing.PrivateKey(pemRepresentation: block.text) {
            return .es256(key)
        }
        if block.label == "PRIVATE KEY", let der = block.der, der.contains(subsequence: Self.ed25519Identifier),
           let key = try? Curve25519.Signing.PrivateKey(pemRepresentation: block.text) {
            return .edDSA(key)
        }
        if block.label != "EC PRIVATE KEY", let key = try? _RSA.Signing.PrivateKey(pemRepresentation: block.text) {
            return .rs256(key)
        }
        // Not usable: say why as precisely as the key allows.
        if let key = try? _RSA.Signing.PrivateKey(unsafePEMRepresentation: block.text) {
            throw KeyProblem("is a \(key.keySizeInBits)-bit RSA key; RS256 needs at least 2048 bits")
        }
        if (try? P384.Signing.PrivateKey(pemRepresentation: block.text)) != nil || (try? P521.Signing.PrivateKey(pemRepresentation: block.text)) != nil {
            throw KeyProblem("is an EC key on another curve; ES256 needs P-256 (openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256)")
        }
        if let der = block.der, der.contains(subsequence: Self.x25519Identifier) {
            throw KeyProblem("is an X25519 (key agreement) key; EdDSA needs Ed25519 (openssl genpkey -algorithm ED25519)")
        }
        throw KeyProblem("is not a P-256 (ES256), RSA of 2048 bits or more (RS256) or Ed25519 (EdDSA) private key")
    }

    /// The DER of the Ed25519 and X25519 object identifiers (1.3.101.112 and .110, RFC 8410 §3):
    /// the PKCS#8 parser takes either for a Curve25519 key, so the algorithm is checked here.
    private static let ed25519Identifier: [UInt8] = [0x06, 0x03, 0x2b, 0x65, 0x70]
    private static let x25519Identifier: [UInt8] = [0x06, 0x03, 0x2b, 0x65, 0x6e]

    /// The JWS signature of `message` (RFC 7518 §3.3/§3.4, RFC 8037 §3.1).
    func signature(for message: [UInt8]) throws(SigningFailure) -> [UInt8] {
        do {
            switch backing {
            case .es256(let key): return Array(try key.signature(for: message).rawRepresentation)
            case .rs256(let key): return Array(try key.signature(for: message, padding: .insecurePKCS1v1_5).rawRepresentation)
            case .edDSA(let key): return Array(try key.signature(for: message))
            }
        } catch {
            throw SigningFailure("\(algorithm.rawValue) signing failed: \(error)")
        }
    }

    public var description: String { "SigningKey(\(algorithm.rawValue), kid \(keyID))" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["algorithm": algorithm.rawValue, "kid": keyID], displayStyle: .struct) }
}

extension Array where Element == UInt8 {
    fileprivate func contains(subsequence: [UInt8]) -> Bool {
        guard count >= subsequence.count else { return false }
        return (0...(count - subsequence.count)).contains { self[$0..<($0 + subsequence.count)].elementsEqual(subsequence) }
    }
}
