/// The claims of an active token, as the identity provider's introspection answer gave them.
///
/// Providers differ (no `sub`, no `iat`, `aud` as string or array, timestamps as floats);
/// the accessors read every RFC 7662 shape, and `members` keeps everything else untouched.
///
/// The claims every request reads (expiry, subject, scope, ...) are read out once, when the
/// answer arrives: a cache hit then costs no dictionary look-ups, and a copy is one reference.
public struct TokenClaims: Sendable, Equatable {
    private final class Storage: Sendable {
        let members: [String: JSONValue]
        let expiresAt: Double?
        let notBefore: Double?
        let subject: String?
        let username: String?
        let clientID: String?
        let issuer: String?
        let scope: String?
        let audiences: [String]

        init(_ members: [String: JSONValue]) {
            self.members = members
            expiresAt = members["exp"]?.numericValue
            notBefore = members["nbf"]?.numericValue
            subject = members["sub"]?.stringValue
            username = members["username"]?.stringValue
            clientID = members["client_id"]?.stringValue
            issuer = members["iss"]?.stringValue
            // `scope` is a space-separated list (RFC 7662 §2.2); some providers send an array.
            switch members["scope"] {
            case .string(let value): scope = value
            case .array(let values): scope = values.compactMap(\.stringValue).joined(separator: " ")
            default: scope = nil
            }
            switch members["aud"] {
            case .string(let value): audiences = [value]
            case .array(let values): audiences = values.compactMap(\.stringValue)
            default: audiences = []
            }
        }
    }

    private let storage: Storage

    public init(_ members: [String: JSONValue]) {
        var members = members
        members["active"] = nil
        storage = Storage(members)
    }

    /// Every member of the answer except `active`.
    public var members: [String: JSONValue] { storage.members }

    public subscript(_ name: String) -> JSONValue? { storage.members[name] }

    /// `exp`, seconds since the epoch.
    public var expiresAt: Double? { storage.expiresAt }
    /// `nbf`, seconds since the epoch.
    public var notBefore: Double? { storage.notBefore }
    public var subject: String? { storage.subject }
    public var username: String? { storage.username }
    public var clientID: String? { storage.clientID }
    public var issuer: String? { storage.issuer }
    /// `scope`, a space-separated list; an array is joined with spaces.
    public var scope: String? { storage.scope }
    /// `aud`, a string or an array of strings.
    public var audiences: [String] { storage.audiences }

    public static func == (lhs: TokenClaims, rhs: TokenClaims) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.members == rhs.storage.members
    }
}
