/// Decodes any JSON value into ``DevJSON`` (for `extra_claims` of `POST /_dev/tokens`).
///
/// A wrapper rather than a public `Decodable` conformance on `DevJSON`, so the public
/// type does not promise a Codable representation.
struct DecodedJSON: Decodable {
    let value: DevJSON

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = .null
        } else if let flag = try? container.decode(Bool.self) {
            value = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            // Tried before Double so `3` stays an integer claim.
            value = .int(integer)
        } else if let number = try? container.decode(Double.self) {
            value = .double(number)
        } else if let text = try? container.decode(String.self) {
            value = .string(text)
        } else if let elements = try? container.decode([DecodedJSON].self) {
            value = .array(elements.map(\.value))
        } else {
            let members = try container.decode([String: DecodedJSON].self)
            value = .object(members.mapValues(\.value))
        }
    }
}
