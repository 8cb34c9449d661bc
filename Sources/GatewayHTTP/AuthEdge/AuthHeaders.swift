import GatewayCore

/// The headers of an auth subrequest that the pipeline reads, collected in one pass over the
/// request's headers (the fast path runs this per request; a lookup per name would scan and
/// allocate once per name).
struct AuthHeaders {
    private var firstAuthorization: String?
    private var authorizationCount = 0
    var presentedJWT: String?
    private var originalMethod: String?
    private var forwardedMethod: String?
    private var originalURI: String?
    private var forwardedURI: String?
    /// One of the headers above came twice with different values.
    private var repeatedDifferently = false

    /// - Parameter presentedJWTHeader: the passthrough JWT header's name, when passthrough is on.
    init(_ headers: some Sequence<(name: String, value: String)>, presentedJWTHeader: String?) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 13 where Self.matches(name, "authorization"):
                if authorizationCount == 0 { firstAuthorization = value }
                authorizationCount += 1
            case 14 where Self.matches(name, "x-original-uri"): Self.keep(value, in: &originalURI, conflict: &repeatedDifferently)
            case 15 where Self.matches(name, "x-forwarded-uri"): Self.keep(value, in: &forwardedURI, conflict: &repeatedDifferently)
            case 17 where Self.matches(name, "x-original-method"): Self.keep(value, in: &originalMethod, conflict: &repeatedDifferently)
            case 18 where Self.matches(name, "x-forwarded-method"): Self.keep(value, in: &forwardedMethod, conflict: &repeatedDifferently)
            default: break
            }
            if let presentedJWTHeader, presentedJWT == nil, name.utf8.count == presentedJWTHeader.utf8.count,
               Self.matches(name, presentedJWTHeader.lowercased()) {
                presentedJWT = value
            }
        }
    }

    /// What the `Authorization` header says; more than one is malformed.
    var authorization: AuthorizationHeader {
        AuthorizationHeader.parse(first: firstAuthorization, count: authorizationCount)
    }

    /// nginx's `X-Original-*` first, then Traefik's `X-Forwarded-*`.
    var method: String? { originalMethod ?? forwardedMethod }
    var uri: String? { originalURI ?? forwardedURI }

    /// The headers disagree about the original request: a client can add `X-Original-URI` where
    /// Traefik sets `X-Forwarded-Uri` (or the reverse behind nginx), and a route policy must not
    /// judge the path the client chose.
    var hasConflictingOriginal: Bool {
        repeatedDifferently || Self.differ(originalURI, forwardedURI) || Self.differ(originalMethod, forwardedMethod)
    }

    private static func keep(_ value: String, in slot: inout String?, conflict: inout Bool) {
        if let kept = slot {
            if kept != value { conflict = true }
        } else {
            slot = value
        }
    }

    private static func differ(_ first: String?, _ second: String?) -> Bool {
        guard let first, let second else { return false }
        return first != second
    }

    /// ASCII case-insensitive equality with an already lower-cased name.
    private static func matches(_ name: String, _ lowercased: String) -> Bool {
        var expected = lowercased.utf8.makeIterator()
        for byte in name.utf8 {
            let folded = (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
            guard folded == expected.next() else { return false }
        }
        return expected.next() == nil
    }
}
