#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Opaque access tokens: 32 random bytes, base64url without padding (RFC 4648 §5).
enum RandomToken {
    static func make() -> String {
        // SystemRandomNumberGenerator is a cryptographically secure source on every platform
        // Swift runs on, so tokens cannot be guessed even by a test that tries.
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let base64 = Data(bytes).base64EncodedString()
        return String(
            base64.compactMap { character -> Character? in
                switch character {
                case "+": "-"
                case "/": "_"
                case "=": nil
                default: character
                }
            })
    }
}
