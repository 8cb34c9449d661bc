import Foundation

/// The encodings a correct client uses, written independently of the provider's decoder.
enum TestEncoding {
    /// `application/x-www-form-urlencoded` (WHATWG URL): unreserved bytes kept, space as `+`, the rest `%XX`.
    static func formComponent(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                encoded.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "):
                encoded.append("+")
            default:
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { formComponent($0.0) + "=" + formComponent($0.1) }.joined(separator: "&")
    }

    /// HTTP Basic as RFC 6749 §2.3.1 wants it for OAuth clients: id and secret form-encoded first.
    static func basic(id: String, secret: String) -> String {
        rawBasic(formComponent(id) + ":" + formComponent(secret))
    }

    /// HTTP Basic over exactly these characters, to send what a careless client would.
    static func rawBasic(_ credentials: String) -> String {
        "Basic " + Data(credentials.utf8).base64EncodedString()
    }
}
