import GatewayCore
import HTTPTypes
import Hummingbird

/// `/auth` and every path below it, for any method: the auth-subrequest edge for nginx
/// `auth_request`, HAProxy, Traefik ForwardAuth and Envoy `ext_authz`. Reads headers only,
/// never the body.
public struct AuthController: Sendable {
    static let originalMethodHeaders = [HTTPField.Name("X-Original-Method")!, HTTPField.Name("X-Forwarded-Method")!]
    static let originalURIHeaders = [HTTPField.Name("X-Original-URI")!, HTTPField.Name("X-Forwarded-Uri")!]

    private let gatekeeper: Gatekeeper
    private let responses: DecisionResponses
    private let presentedJWTHeader: HTTPField.Name?

    public init(gatekeeper: Gatekeeper, responses: DecisionResponses, passthroughHeaderName: String?) {
        self.gatekeeper = gatekeeper
        self.responses = responses
        self.presentedJWTHeader = passthroughHeaderName.flatMap { HTTPField.Name($0) }
    }

    /// Whether a request target belongs to this controller: `/auth` or `/auth/…`, with or without a query.
    public static func handles(path: some StringProtocol) -> Bool {
        let utf8 = path.utf8
        guard utf8.starts(with: "/auth".utf8) else { return false }
        guard let next = utf8.dropFirst(5).first else { return true }
        return next == UInt8(ascii: "/") || next == UInt8(ascii: "?")
    }

    public func respond(to request: Request) async -> Response {
        let decision = await gatekeeper.decide(Self.authRequest(from: request.head, presentedJWTHeader: presentedJWTHeader))
        return responses.response(for: decision).response(forHEAD: request.method == .head)
    }

    /// The decision and its response when no waiting is needed (see `Gatekeeper.decideWithoutWaiting`).
    func respondWithoutWaiting(to head: HTTPRequest) -> DecisionResponse? {
        gatekeeper.decideWithoutWaiting(Self.authRequest(from: head, presentedJWTHeader: presentedJWTHeader)).map(responses.response(for:))
    }

    static func authRequest(from request: HTTPRequest, presentedJWTHeader: HTTPField.Name?) -> AuthRequest {
        let headers = request.headerFields
        // Envoy's ext_authz path_prefix appends the original path (and query) after /auth.
        let suffix = (request.path ?? "/auth").dropFirst(5)
        let envoyPath = suffix.first == "/" ? String(suffix) : nil
        return AuthRequest(
            authorization: AuthorizationHeader.parse(headers[values: .authorization]),
            presentedJWT: presentedJWTHeader.flatMap { headers[$0] },
            originalMethod: originalMethodHeaders.lazy.compactMap { headers[$0] }.first ?? (envoyPath == nil ? nil : request.method.rawValue),
            originalURI: originalURIHeaders.lazy.compactMap { headers[$0] }.first ?? envoyPath)
    }
}
