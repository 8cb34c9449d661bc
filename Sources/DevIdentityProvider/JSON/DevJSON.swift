/// A JSON value, used for the extra claims of issued tokens.
///
/// Integers and doubles are kept apart so tests can choose exactly how a timestamp is
/// written (`1700000000` or `1700000000.5`): providers in the wild do both.
public enum DevJSON: Sendable, Equatable {
    case string(String)
    case int(Int64)
    case double(Double)
    case bool(Bool)
    case array([DevJSON])
    case object([String: DevJSON])
    case null
}

// Literal conformances so tests can write `["aud": ["a", "b"], "level": 3]`.

extension DevJSON: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension DevJSON: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) {
        self = .int(value)
    }
}

extension DevJSON: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) {
        self = .double(value)
    }
}

extension DevJSON: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension DevJSON: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: DevJSON...) {
        self = .array(elements)
    }
}

extension DevJSON: ExpressibleByDictionaryLiteral {
    /// A repeated key keeps its last value, as most JSON parsers do.
    public init(dictionaryLiteral elements: (String, DevJSON)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}

extension DevJSON: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self = .null
    }
}
