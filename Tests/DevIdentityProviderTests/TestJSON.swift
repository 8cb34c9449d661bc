/// JSON as the tests read it, independent of the provider's own writer, keeping `true` and
/// `"true"` and `1` apart.
enum TestJSON: Decodable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case array([TestJSON])
    case object([String: TestJSON])
    case null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? container.decode(Int64.self) {
            self = .int(integer)
        } else if let number = try? container.decode(Double.self) {
            self = .double(number)
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let elements = try? container.decode([TestJSON].self) {
            self = .array(elements)
        } else {
            self = .object(try container.decode([String: TestJSON].self))
        }
    }

    subscript(member: String) -> TestJSON? {
        guard case .object(let members) = self else { return nil }
        return members[member]
    }

    var string: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }

    var int: Int64? {
        guard case .int(let number) = self else { return nil }
        return number
    }
}
