import GatewayCore
import HTTPTypes
import Hummingbird

/// `/auth` and every path below it, for any method: the auth-subrequest edge for nginx
/// `auth_request`, HAProxy, Traefik ForwardAuth and Envoy `ext_authz`. Reads headers only,
/// never the body.
public struct AuthController: Sendable {
    static let originalMethodHeaders = ["X-Original-Method", "X-Forwarded-Method"]
    static let originalURIHeaders = ["X-Original-URI", "X-Forwarded-Uri"]

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
        let headers = request.headers
        let authRequest = Self.authRequest(method: request.method.rawValue, target: request.head.path ?? "/auth", presentedJWTHeader: presentedJWTHeader) { name in
            HTTPField.Name(name).map { headers[values: $0] } ?? []
        }
        return responses.response(for: await gatekeeper.decide(authRequest)).response(forHEAD: request.method == .head)
    }

    /// The response when the decision needs no waiting (see `Gatekeeper.decideWithoutWaiting`);
    /// `values` gives a header's values by name.
    func respondWithoutWaiting(method: String, target: String, values: (String) -> [String]) -> DecisionResponse? {
        let authRequest = Self.authRequest(method: method, target: target, presentedJWTHeader: presentedJWTHeader, values: values)
        return gatekeeper.decideWithoutWaiting(authRequest).map(responses.response(for:))
    }

    /// The pipeline's view of an auth subrequest, from its method, request target and headers.
    static func authRequest(method: String, target: String, presentedJWTHeader: String?, values: (String) -> [String]) -> AuthRequest {
        // Envoy's ext_authz path_prefix appends the original path (and query) after /auth.
        let suffix = target.dropFirst(5)
        let envoyPath = suffix.first == "/" ? String(suffix) : nil
        return AuthRequest(
            authorization: AuthorizationHeader.parse(values("Authorization")),
            presentedJWT: presentedJWTHeader.flatMap { values($0).first },
            originalMethod: firstValue(originalMethodHeaders, values) ?? (envoyPath == nil ? nil : method),
            originalURI: firstValue(originalURIHeaders, values) ?? envoyPath)
    }

    private static func firstValue(_ names: [String], _ values: (String) -> [String]) -> String? {
        for name in names {
            if let value = values(name).first { return value }
        }
        return nil
    }
}
