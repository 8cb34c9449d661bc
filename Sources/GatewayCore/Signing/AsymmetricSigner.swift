/// Signs JWTs with a private key (ES256, RS256 or EdDSA). The header, with the key's `kid`, is
/// encoded once; each JWT costs one base64url pass and one signature.
public struct AsymmetricSigner: JWSSigner {
    private let key: SigningKey
    /// `{"alg":"…","kid":"…","typ":"JWT"}`, base64url-encoded, followed by the dot.
    private let encodedHeader: [UInt8]

    public init(key: SigningKey) {
        self.key = key
        var writer = JSONWriter(capacity: 96)
        writer.writeObject([("alg", .string(key.algorithm.rawValue)), ("kid", .string(key.keyID)), ("typ", .string("JWT"))])
        var header = [UInt8]()
        Base64URL.encode(writer.bytes, into: &header)
        header.append(UInt8(ascii: "."))
        encodedHeader = header
    }

    public var algorithm: JWTAlgorithm { key.algorithm }
    public var keyID: String? { key.keyID }

    public func sign(payload: [UInt8]) throws(SigningFailure) -> String {
        var token = encodedHeader
        token.reserveCapacity(encodedHeader.count + payload.count * 4 / 3 + 360)
        Base64URL.encode(payload, into: &token)
        let signature = try key.signature(for: token)
        token.append(UInt8(ascii: "."))
        Base64URL.encode(signature, into: &token)
        return String(decoding: token, as: UTF8.self)
    }
}
