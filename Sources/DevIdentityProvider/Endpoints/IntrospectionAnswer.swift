/// What `POST /introspect` says about a token, before a failure mode reshapes it.
enum IntrospectionAnswer: Sendable {
    /// Unknown, revoked or expired: RFC 7662 §2.2 allows nothing but `active`.
    case inactive
    case active([(key: String, value: DevJSON)])
    /// A test's registered answer, sent verbatim.
    case raw(String)

    var jsonText: String {
        switch self {
        case .inactive: JSONText.object([("active", .bool(false))])
        case .active(let claims): JSONText.object(claims)
        case .raw(let text): text
        }
    }

    /// The same answer with `"active":"true"`, a string, as some broken providers send.
    var withActiveAsString: String {
        guard case .active(var claims) = self,
            let index = claims.firstIndex(where: { $0.key == "active" })
        else {
            return JSONText.object([("active", .string("true"))])
        }
        claims[index].value = .string("true")
        return JSONText.object(claims)
    }

    /// The answer padded to `size` bytes (never shorter than the answer itself). Objects get a
    /// `padding` member, so they stay valid answers the gateway would accept if it read them
    /// whole; a registered raw answer gets trailing whitespace, which JSON ignores.
    func padded(to size: Int) -> String {
        let members: [(key: String, value: DevJSON)]
        switch self {
        case .raw(let text):
            return text + String(repeating: " ", count: max(size - text.utf8.count, 0))
        case .inactive:
            members = [("active", .bool(false))]
        case .active(let claims):
            members = claims
        }
        let unpadded = JSONText.object(members + [("padding", .string(""))])
        let fill = String(repeating: "x", count: max(size - unpadded.utf8.count, 0))
        return JSONText.object(members + [("padding", .string(fill))])
    }
}
