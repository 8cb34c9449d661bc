/// Verifies compact JWS the gateway signed: with the HS256 secret, or with one of its public
/// keys (current and previous), chosen by the header's `kid`.
///
/// The header's `alg` must be the algorithm of the key that verifies, so no token can pick its
/// own algorithm: an HS256 token "signed" with a public key finds no HS256 key when the gateway
/// signs asymmetrically, `none` finds no key at all, and an ES256 header naming an RSA key's
/// `kid` is refused. Headers with `crit` are refused (RFC 7515 §4.1.11).
public struct JWSVerifier: Sendable {
    private let secret: HS256Signer?
    private let keys: [String: VerificationKey]

    public init(secret: HS256Signer) {
        self.secret = secret
        keys = [:]
    }

    public init(keys: [VerificationKey]) {
        secret = nil
        self.keys = Dictionary(keys.map { ($0.keyID, $0) }) { first, _ in first }
    }

    /// The payload of a JWS signed by one of our keys; nil otherwise.
    public func verifiedPayload(of jws: some StringProtocol) -> [UInt8]? {
        if let secret { return secret.verifiedPayload(of: jws) }
        let bytes = Array(jws.utf8)
        guard let firstDot = bytes.firstIndex(of: UInt8(ascii: ".")),
              let secondDot = bytes[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
              !bytes[(secondDot + 1)...].contains(UInt8(ascii: ".")),
              let headerBytes = Base64URL.decode(bytes[..<firstDot]),
              let header = try? JSONValueParser.parse(headerBytes), case .object(let members) = header, members["crit"] == nil,
              let kid = members["kid"]?.stringValue, let key = keys[kid],
              members["alg"] == .string(key.algorithm.rawValue),
              let signature = Base64URL.decode(bytes[(secondDot + 1)...]),
              key.isValidSignature(signature, for: bytes[..<secondDot])
        else { return nil }
        return Base64URL.decode(bytes[(firstDot + 1)..<secondDot])
    }
}
