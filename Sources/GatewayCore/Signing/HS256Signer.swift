import Crypto

/// Signs and verifies compact HS256 JWS (RFC 7515, RFC 7518 §3.2).
///
/// The HMAC is keyed once; each signature copies the keyed state, so signing costs one
/// SHA-256 pass over the message.
public struct HS256Signer: Sendable {
    private let keyed: HMAC<SHA256>
    private let key: SymmetricKey
    /// `{"alg":"HS256","typ":"JWT"}`, base64url-encoded, followed by the dot.
    private let encodedHeader: [UInt8]

    public init(secret: Secret) {
        key = SymmetricKey(data: Array(secret.reveal().utf8))
        keyed = HMAC<SHA256>(key: key)
        var header = [UInt8]()
        Base64URL.encode(Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8), into: &header)
        header.append(UInt8(ascii: "."))
        encodedHeader = header
    }

    /// A compact JWS of this JSON payload.
    public func sign(payload: [UInt8]) -> String {
        var token = encodedHeader
        token.reserveCapacity(encodedHeader.count + payload.count * 4 / 3 + 48)
        Base64URL.encode(payload, into: &token)
        var mac = keyed
        mac.update(data: token)
        let signature = mac.finalize()
        token.append(UInt8(ascii: "."))
        signature.withUnsafeBytes { Base64URL.encode($0, into: &token) }
        return String(decoding: token, as: UTF8.self)
    }

    /// The payload of a compact JWS whose header says HS256 and whose signature is ours; nil otherwise.
    public func verifiedPayload(of jws: some StringProtocol) -> [UInt8]? {
        let bytes = Array(jws.utf8)
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2,
              let headerBytes = Base64URL.decode(bytes[..<dots[0]]),
              Self.isHS256Header(headerBytes),
              let signature = Base64URL.decode(bytes[(dots[1] + 1)...]),
              HMAC<SHA256>.isValidAuthenticationCode(signature, authenticating: bytes[..<dots[1]], using: key)
        else { return nil }
        return Base64URL.decode(bytes[(dots[0] + 1)..<dots[1]])
    }

    private static func isHS256Header(_ bytes: [UInt8]) -> Bool {
        guard let header = try? JSONValueParser.parse(bytes), case .object(let members) = header else { return false }
        // "crit" names extensions we do not understand: such a token must be rejected (RFC 7515 §4.1.11).
        return members["alg"] == .string("HS256") && members["crit"] == nil
    }
}
