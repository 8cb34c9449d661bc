import Crypto
import GatewayCore

/// `Authorization` header values, as a client sends them.
///
/// Properties: a bearer token re-parses to itself from `Bearer <token>`; it holds only RFC 6750
/// b64token characters (padding `=` only at the end), is at most the maximum length, and is the
/// exact text after the scheme and spaces; the scheme really was `Bearer`; several headers are
/// malformed and none is missing; the fingerprint is the token's SHA-256.
enum AuthorizationFuzz {
    static func run(_ bytes: [UInt8]) {
        let value = text(bytes)
        let parsed = AuthorizationHeader.parse(value)
        require(AuthorizationHeader.parse(value) == parsed, "parsing is not deterministic")
        require(AuthorizationHeader.parse([value]) == parsed, "one header in an array parses differently")
        require(AuthorizationHeader.parse(Substring(value)) == parsed, "a Substring parses differently")
        require(AuthorizationHeader.parse([value, value]) == .malformed, "two Authorization headers were not malformed")
        require(AuthorizationHeader.parse([String]()) == .missing, "no header was not missing")

        let startsWithBearerScheme = value.utf8.count >= 7 && value.utf8.prefix(6).map { $0 | 0x20 } == Array("bearer".utf8)
            && value.utf8.dropFirst(6).first == UInt8(ascii: " ")
        switch parsed {
        case .bearer(let token):
            require(startsWithBearerScheme, "a bearer token without the Bearer scheme: \(value.debugDescription)")
            let tokenBytes = Array(token.value.utf8)
            require(!tokenBytes.isEmpty && tokenBytes.count <= AuthorizationHeader.maximumTokenLength, "token length \(tokenBytes.count)")
            require(isB64Token(tokenBytes), "token is not a b64token: \(token.value.debugDescription)")
            // The token is exactly what follows "Bearer" and its spaces, less trailing blanks.
            let afterScheme = value.utf8.dropFirst(7).drop { $0 == UInt8(ascii: " ") }
            require(afterScheme.starts(with: tokenBytes), "the token is not the text after the scheme")
            require(afterScheme.dropFirst(tokenBytes.count).allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") },
                    "text other than blanks after the token was dropped: \(value.debugDescription)")
            for reparsed in ["Bearer " + token.value, "bearer  " + token.value + " ", "BEARER " + token.value + "\t"] {
                guard case .bearer(let again) = AuthorizationHeader.parse(reparsed), again.value == token.value else {
                    require(false, "Bearer <token> does not re-parse to the token: \(token.value.debugDescription)")
                    return
                }
            }
            let digest = Array(SHA256.hash(data: tokenBytes))
            require(token.fingerprint.bytes == digest, "fingerprint is not the SHA-256 of the token")
            require(TokenFingerprint(hex: token.fingerprint.hex) == token.fingerprint, "fingerprint hex does not round-trip")
            require(token.description == "token#" + token.fingerprint.shortHex, "a token's description is not its log id")
        case .otherScheme:
            require(!startsWithBearerScheme, "'Bearer ' read as another scheme: \(value.debugDescription)")
            require(!value.isEmpty && value.utf8.first != UInt8(ascii: " "), "an empty scheme read as another scheme")
        case .malformed, .missing:
            require(parsed != .missing, "one header value was missing")
        }
    }

    /// RFC 6750 §2.1: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`.
    static func isB64Token(_ bytes: [UInt8]) -> Bool {
        let characters = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/".utf8)
        let body = bytes.prefix { characters.contains($0) }
        return !body.isEmpty && bytes.dropFirst(body.count).allSatisfy { $0 == UInt8(ascii: "=") }
    }
}
