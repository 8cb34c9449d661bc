/// A token issued by the provider, with what introspection reports about it.
struct IssuedToken: Sendable {
    let clientID: String
    let scope: String?
    let subject: String
    /// Whole seconds since the epoch, as written in `iat`.
    let issuedAt: Int64
    /// Whole seconds since the epoch, as written in `exp`: the token is inactive from then on.
    let expiresAt: Int64
    let extraClaims: [String: DevJSON]

    func isExpired(at now: Double) -> Bool {
        // RFC 7519 §4.1.4: not to be accepted on or after `exp`.
        now >= Double(expiresAt)
    }

    /// The RFC 7662 introspection members, in a fixed order. Extra claims replace a standard
    /// claim of the same name (in place), so tests can produce odd shapes; the others follow
    /// in key order.
    func claims(issuer: String) -> [(key: String, value: DevJSON)] {
        var members: [(key: String, value: DevJSON)] = [("active", .bool(true))]
        if let scope { members.append(("scope", .string(scope))) }
        members += [
            ("client_id", .string(clientID)),
            ("sub", .string(subject)),
            ("token_type", .string("Bearer")),
            ("iat", .int(issuedAt)),
            ("exp", .int(expiresAt)),
            ("iss", .string(issuer)),
        ]
        for (key, value) in extraClaims.sorted(by: { $0.key < $1.key }) {
            if let index = members.firstIndex(where: { $0.key == key }) {
                members[index].value = value
            } else {
                members.append((key, value))
            }
        }
        return members
    }
}

/// Conversions between `Duration` and the seconds of JSON timestamps.
enum TimeConversion {
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Rounds down to whole seconds, clamped so that a strange clock (NaN, infinity, far
    /// future) gives a strange timestamp rather than a trap.
    static func wholeSeconds(_ seconds: Double) -> Int64 {
        guard !seconds.isNaN else { return 0 }
        let limit = 9.0e18  // inside Int64's range, and infinities clamp to it
        return Int64(min(max(seconds.rounded(.down), -limit), limit))
    }
}
