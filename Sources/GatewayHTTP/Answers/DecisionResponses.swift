import GatewayCore
import HTTPTypes
import Hummingbird

/// The only place where a `Decision` becomes a status and headers.
///
/// - allow → 200, the JWT in `JWT_HEADER_NAME`, `X-Auth-Subject`/`-Scope`/`-Client-Id`
/// - missing token → 401 `WWW-Authenticate: Bearer realm="…"` (RFC 6750 §3.1: no error code)
/// - invalid token → 401 `WWW-Authenticate: Bearer realm="…", error="invalid_token"`
/// - insufficient scope → 403 `WWW-Authenticate: Bearer realm="…", error="insufficient_scope", scope="…"`
///   (no `scope` attribute when the route needs an audience rather than a scope)
/// - forbidden (a deny rule, a path the policy cannot judge) → 403 without a challenge
/// - unavailable → 503 (the identity provider could not be asked; never a 401)
///
/// Every answer is `Cache-Control: no-store` with a tiny body, and carries its `Content-Length`
/// so the event-loop fast path can write it as is.
public final class DecisionResponses: Sendable {
    public static let subjectHeader = "X-Auth-Subject"
    public static let scopeHeader = "X-Auth-Scope"
    public static let clientIDHeader = "X-Auth-Client-Id"
    /// Identity header values longer than this are left out rather than cut (a cut value would lie).
    static let maximumHeaderValueLength = 4096

    private let jwtHeader: String?
    private let missingTokenChallenge: String
    private let invalidTokenChallenge: String
    private let insufficientScopeChallenge: String
    /// `CLAIM_HEADERS`.
    private let claimHeaders: [ClaimHeader]

    public init(jwtHeaderName: String?, realm: String, claimHeaders: [ClaimHeader] = []) {
        jwtHeader = jwtHeaderName
        self.claimHeaders = claimHeaders
        missingTokenChallenge = "Bearer realm=\"\(realm)\""
        invalidTokenChallenge = "Bearer realm=\"\(realm)\", error=\"invalid_token\""
        insufficientScopeChallenge = "Bearer realm=\"\(realm)\", error=\"insufficient_scope\""
    }

    /// The responses a configuration asks for (`JWT_HEADER_NAME`, `AUTH_REALM`, `CLAIM_HEADERS`).
    public convenience init(configuration: GatewayConfiguration) {
        self.init(jwtHeaderName: configuration.signing.headerName, realm: configuration.realm, claimHeaders: configuration.signing.claimHeaders)
    }

    public func response(for decision: Decision) -> DecisionResponse {
        switch decision {
        case .allow(let grant):
            var headers: [(name: String, value: String)] = [("Cache-Control", "no-store"), ("Content-Length", "0")]
            headers.reserveCapacity(6)
            appendGrant(grant, to: &headers)
            return DecisionResponse(status: .ok, headers: headers, body: nil)
        case .deny(.missingToken):
            return Self.plain(.unauthorized, "missing bearer token\n", challenge: missingTokenChallenge)
        case .deny(.invalidToken):
            return Self.plain(.unauthorized, "invalid token\n", challenge: invalidTokenChallenge)
        case .deny(.insufficientScope(let scope)):
            let challenge = scope.isEmpty ? insufficientScopeChallenge : "\(insufficientScopeChallenge), scope=\"\(scope)\""
            return Self.plain(.forbidden, "insufficient scope\n", challenge: challenge)
        case .deny(.forbidden):
            return Self.plain(.forbidden, "forbidden\n", challenge: nil)
        case .unavailable:
            return Self.plain(.serviceUnavailable, "identity provider unavailable\n", challenge: nil)
        }
    }

    /// Every header a grant may travel in: a forwarding edge removes client-sent copies of all of
    /// them, so none can be forged, before it appends the grant's own.
    public var grantHeaderNames: [String] {
        (jwtHeader.map { [$0] } ?? []) + [Self.subjectHeader, Self.scopeHeader, Self.clientIDHeader] + claimHeaders.map(\.header)
    }

    /// Appends what a 200 tells about a grant: the JWT and the identity headers.
    public func appendGrant(_ grant: Grant, to headers: inout [(name: String, value: String)]) {
        if let jwtHeader, let jwt = grant.jwt { headers.append((jwtHeader, jwt.compact)) }
        Self.add(Self.subjectHeader, grant.subject, to: &headers)
        Self.add(Self.scopeHeader, grant.scope, to: &headers)
        Self.add(Self.clientIDHeader, grant.clientID, to: &headers)
        if let claims = grant.claims {
            for mapping in claimHeaders {
                if let value = mapping.value(in: claims) { headers.append((mapping.header, value)) }
            }
        }
    }

    /// A short text answer (also the proxy's own 400, 403, 502 and 504), never cached.
    static func plain(_ status: HTTPResponse.Status, _ text: String, challenge: String?) -> DecisionResponse {
        var headers: [(name: String, value: String)] = [
            ("Cache-Control", "no-store"), ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count)),
        ]
        if let challenge { headers.append(("WWW-Authenticate", challenge)) }
        return DecisionResponse(status: status, headers: headers, body: ByteBuffer(string: text))
    }

    /// Adds a claim as a header when it is safe to: no control characters (no header
    /// injection through a claim) and of sane length.
    private static func add(_ name: String, _ value: String?, to headers: inout [(name: String, value: String)]) {
        guard let value, !value.isEmpty, value.utf8.count <= maximumHeaderValueLength,
              value.utf8.allSatisfy({ $0 >= 0x20 && $0 != 0x7f })
        else { return }
        headers.append((name, value))
    }
}
