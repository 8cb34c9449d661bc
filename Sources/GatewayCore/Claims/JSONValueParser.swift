import Foundation

/// Decodes JSON text into a `JSONValue`.
public enum JSONValueParser {
    public static func parse(_ bytes: some Collection<UInt8>) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
    }
}
