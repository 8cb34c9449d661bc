import Crypto
import Foundation
import _CryptoExtras

/// A public key whose JWTs the gateway accepts and publishes in its JWKS: the current signing
/// key's, or a previous one kept through a rotation (`JWT_PREVIOUS_PUBLIC_KEY_FILE`).
///
/// Its `keyID` is the RFC 7638 JWK thumbprint (SHA-256, base64url), so it follows from the key
/// alone: every replica and every restart publishes the same `kid` for the same key.
public struct VerificationKey: Sendable {
    enum Backing: Sendable {
        case es256(P256.Signing.PublicKey)
        case rs256(_RSA.Signing.PublicKey)
        case edDSA(Curve25519.Signing.PublicKey)
    }

    let backing: Backing
    public let algorithm: JWTAlgorithm
    public let keyID: String
    /// The JWK (RFC 7517) as published: key members, `kid`, `use`, `alg`.
    let jwk: [(key: String, value: JSONValue)]

    init(_ backing: Backing) {
        self.backing = backing
        // The members the thumbprint covers (RFC 7638 §3.2, RFC 8037 §2), in lexicographic order.
        let required: [(key: String, value: JSONValue)]
        switch backing {
        case .es256(let key):
            let point = Array(key.rawRepresentation)
            algorithm = .es256
            required = [
                ("crv", .string("P-256")), ("kty", .string("EC")),
                ("x", .string(Base64URL.encode(point[..<32]))), ("y", .string(Base64URL.encode(point[32...]))),
            ]
        case .rs256(let key):
            // getKeyPrimitives only fails for a key BoringSSL could not have loaded.
            let primitives = try? key.getKeyPrimitives()
            algorithm = .rs256
            required = [
                ("e", .string(Base64URL.encode(Self.minimal(primitives?.publicExponent ?? Data())))), ("kty", .string("RSA")),
                ("n", .string(Base64URL.encode(Self.minimal(primitives?.modulus ?? Data())))),
            ]
        case .edDSA(let key):
            algorithm = .edDSA
            required = [("crv", .string("Ed25519")), ("kty", .string("OKP")), ("x", .string(Base64URL.encode(key.rawRepresentation)))]
        }
        var writer = JSONWriter(capacity: 512)
        writer.writeObject(required)
        keyID = Base64URL.encode(Array(SHA256.hash(data: writer.bytes)))
        let byName = Dictionary(uniqueKeysWithValues: required.map { ($0.key, $0.value) })
        let keyMembers = ["kty", "crv", "x", "y", "n", "e"].compactMap { name in byName[name].map { (key: name, value: $0) } }
        jwk = keyMembers + [("kid", .string(keyID)), ("use", .string("sig")), ("alg", .string(algorithm.rawValue))]
    }

    /// A public key from PEM (`-----BEGIN PUBLIC KEY-----`, or `RSA PUBLIC KEY`).
    public init(pem block: String) throws(KeyProblem) {
        let blocks = PEMBlock.blocks(in: block)
        guard blocks.count == 1, let only = blocks.first else {
            throw KeyProblem(blocks.isEmpty ? "holds no PEM block" : "holds \(blocks.count) PEM blocks where one was expected")
        }
        self = try Self.parse(only)
    }

    static func parse(_ block: PEMBlock) throws(KeyProblem) -> VerificationKey {
        switch block.label {
        case "PUBLIC KEY":
            if let key = try? P256.Signing.PublicKey(pemRepresentation: block.text) { return VerificationKey(.es256(key)) }
            if let key = try? Curve25519.Signing.PublicKey(pemRepresentation: block.text) { return VerificationKey(.edDSA(key)) }
            if let key = try? _RSA.Signing.PublicKey(pemRepresentation: block.text) { return VerificationKey(.rs256(key)) }
            if let key = try? _RSA.Signing.PublicKey(unsafePEMRepresentation: block.text) {
                throw KeyProblem("is a \(key.keySizeInBits)-bit RSA key; RS256 needs at least 2048 bits")
            }
            if (try? P384.Signing.PublicKey(pemRepresentation: block.text)) != nil || (try? P521.Signing.PublicKey(pemRepresentation: block.text)) != nil {
                throw KeyProblem("is an EC key on another curve; ES256 needs P-256 (prime256v1)")
            }
            throw KeyProblem("is not a P-256, RSA (2048 bits or more) or Ed25519 public key")
        case "RSA PUBLIC KEY":
            if let key = try? _RSA.Signing.PublicKey(pemRepresentation: block.text) { return VerificationKey(.rs256(key)) }
            throw KeyProblem("is not an RSA public key of 2048 bits or more")
        case "CERTIFICATE":
            throw KeyProblem("holds a certificate; give its public key (openssl x509 -in cert.pem -pubkey -noout)")
        case let label where label.hasSuffix("PRIVATE KEY"):
            throw KeyProblem("holds a private key; give only its public key (openssl pkey -in old.pem -pubout -out old.pub.pem)")
        case let label:
            throw KeyProblem("holds a '\(label)' block, not a PUBLIC KEY")
        }
    }

    /// Whether `signature` (as it stands in a JWS) signs `message` with this key.
    func isValidSignature(_ signature: [UInt8], for message: ArraySlice<UInt8>) -> Bool {
        switch backing {
        case .es256(let key):
            guard signature.count == 64, let parsed = try? P256.Signing.ECDSASignature(rawRepresentation: signature) else { return false }
            return key.isValidSignature(parsed, for: message)
        case .rs256(let key):
            return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: message, padding: .insecurePKCS1v1_5)
        case .edDSA(let key):
            return key.isValidSignature(signature, for: message)
        }
    }

    /// An unsigned big-endian integer without leading zero octets (RFC 7518 §6.3.1).
    private static func minimal(_ bytes: Data) -> [UInt8] {
        let trimmed = Array(bytes.drop { $0 == 0 })
        return trimmed.isEmpty ? [0] : trimmed
    }
}

/// Why a key cannot be used: what is wrong with it and what to do (never the key itself).
public struct KeyProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
