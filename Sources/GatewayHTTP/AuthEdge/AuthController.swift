import GatewayCore
import HTTPTypes
import Hummingbird

/// `/auth` and every path below it, for any method: the auth-subrequest edge for nginx
/// `auth_request`, HAProxy, Traefik ForwardAuth and Envoy `ext_authz`. Reads headers only,
/// never the body.
public final class AuthController: Sendable {
    private let gatekeeper: Gatekeeper
    private let responses: DecisionResponses
    private let presentedJWTHeader: String?

    public init(gatekeeper: Gatekeeper, responses: DecisionResponses, passthroughHeaderName: String?) {
        self.gatekeeper = gatekeeper
        self.responses = responses
        self.presentedJWTHeader = passthroughHeaderName
    }

    /// Whether a request target belongs to this controller: `/auth` or `/auth/…`, with or without a query.
    public static func handles(path: some StringProtocol) -> Bool {
        let utf8 = path.utf8
        guard utf8.starts(with: "/auth".utf8) else { return false }
        guard let next = utf8.dropFirst(5).first else { return true }
        return next == UInt8(ascii: "/") || next == UInt8(ascii: "?")
    }

    public func respond(to request: Request) async -> Response {
        let headers = AuthHeaders(request.headers.lazy.map { (name: $0.name.rawName, value: $0.value) }, presentedJWTHeader: presentedJWTHeader)
        let authRequest = Self.authRequest(method: request.method.rawValue, target: request.head.path ?? "/auth", headers: headers)
        return responses.response(for: await gatekeeper.decide(authRequest)).response(forHEAD: request.method == .head)
    }

    /// The response when the decision needs no waiting (see `Gatekeeper.prepare`); nil when the
    /// token must be validated first.
    func respondWithoutWaiting(method: String, target: String, headers: some Sequence<(name: String, value: String)>) -> DecisionResponse? {
        let authRequest = Self.authRequest(method: method, target: target, headers: AuthHeaders(headers, presentedJWTHeader: presentedJWTHeader))
        guard case .decided(let decision) = gatekeeper.prepare(authRequest) else { return nil }
        return responses.response(for: decision)
    }

    /// The pipeline's view of an auth subrequest, from its method, request target and headers.
    static func authRequest(method: String, target: String, headers: AuthHeaders) -> AuthRequest {
        // Envoy's ext_authz path_prefix appends the original path (and query) after /auth.
        let utf8 = target.utf8
        let envoyPath = utf8.count > 5 && utf8[utf8.index(utf8.startIndex, offsetBy: 5)] == UInt8(ascii: "/")
            ? String(decoding: utf8.dropFirst(5), as: UTF8.self) : nil
        return AuthRequest(
            authorization: headers.authorization,
            presentedJWT: headers.presentedJWT,
            originalMethod: headers.method ?? (envoyPath == nil ? nil : method),
            originalURI: headers.uri ?? envoyPath,
            hasConflictingOriginal: headers.hasConflictingOriginal || (envoyPath != nil && headers.uri != nil && headers.uri != envoyPath))
    }
}
