import Foundation

/// Reads an identity provider's introspection answer (RFC 7662 §2.2).
///
/// Active means: a JSON object whose `active` is the boolean `true`, whose `exp` (if any) is in
/// the future and whose `nbf` (if any) is not further ahead than the allowed clock skew.
/// Anything that is not such an object is a malformed answer, a failure, never "inactive".
public enum IntrospectionAnswer {
    public static func parse(_ body: some Collection<UInt8>, now: Double, clockSkew: Double) throws(IntrospectionFailure) -> IntrospectionResult {
        let value: JSONValue
        do {
            value = try JSONValueParser.parse(body)
        } catch {
            throw .malformedAnswer("not JSON")
        }
        guard case .object(let members) = value else { throw .malformedAnswer("not a JSON object") }
        guard case .bool(let active) = members["active"] else {
            throw .malformedAnswer(members["active"] == nil ? "no \"active\" member" : "\"active\" is not a boolean")
        }
        guard active else { return .inactive(.notActive) }
        let claims = TokenClaims(members)
        for name in ["exp", "nbf", "iat"] where claims[name] != nil && claims[name]?.numericValue == nil {
            throw .malformedAnswer("\"\(name)\" is not a number")
        }
        return check(claims, now: now, clockSkew: clockSkew)
    }

    /// Whether claims that were active are still so at `now`: used on every cache hit too.
    public static func check(_ claims: TokenClaims, now: Double, clockSkew: Double) -> IntrospectionResult {
        if let expiresAt = claims.expiresAt, expiresAt <= now { return .inactive(.expired) }
        if let notBefore = claims.notBefore, notBefore > now + clockSkew { return .inactive(.notYetValid) }
        return .active(claims)
    }
}
