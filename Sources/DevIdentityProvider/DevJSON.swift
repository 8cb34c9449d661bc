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
