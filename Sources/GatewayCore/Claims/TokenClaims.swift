/// The claims of an active token, as the identity provider's introspection answer gave them.
///
/// Providers differ (no `sub`, no `iat`, `aud` as string or array, timestamps as floats);
/// the accessors read every RFC 7662 shape, and `members` keeps everything else untouched.
public struct TokenClaims: Sendable, Equatable {
    /// Every member of the answer except `active`.
    public let members: [String: JSONValue]

    public init(_ members: [String: JSONValue]) {
        var members = members
        members["active"] = nil
        self.members = members
    }

    public subscript(_ name: String) -> JSONValue? { members[name] }

    /// `exp`, seconds since the epoch.
    public var expiresAt: Double? { members["exp"]?.numericValue }
    /// `nbf`, seconds since the epoch.
    public var notBefore: Double? { members["nbf"]?.numericValue }
    public var subject: String? { members["sub"]?.stringValue }
    public var username: String? { members["username"]?.stringValue }
    public var clientID: String? { members["client_id"]?.stringValue }
    public var issuer: String? { members["iss"]?.stringValue }

    /// `scope`, a space-separated list (RFC 7662 §2.2); some providers send an array.
    public var scope: String? {
        switch members["scope"] {
        case .string(let value): return value
        case .array(let values): return values.compactMap(\.stringValue).joined(separator: " ")
        default: return nil
        }
    }

    /// `aud`, a string or an array of strings.
    public var audiences: [String] {
        switch members["aud"] {
        case .string(let value): return [value]
        case .array(let values): return values.compactMap(\.stringValue)
        default: return []
        }
    }
}
