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

    /// Whether a path belongs to this controller: `/auth` or `/auth/…`.
    public static func handles(path: String) -> Bool {
        path.utf8.starts(with: "/auth".utf8) && (path.utf8.count == 5 || path.utf8.dropFirst(5).first == UInt8(ascii: "/"))
    }

    public func respond(to request: Request) async -> Response {
        await responses.response(for: gatekeeper.decide(Self.authRequest(from: request, presentedJWTHeader: presentedJWTHeader)))
    }

    static func authRequest(from request: Request, presentedJWTHeader: HTTPField.Name?) -> AuthRequest {
        let headers = request.headers
        // Envoy's ext_authz path_prefix appends the original path after /auth.
        let suffix = request.uri.path.dropFirst(5)
        return AuthRequest(
            authorization: AuthorizationHeader.parse(headers[values: .authorization]),
            presentedJWT: presentedJWTHeader.flatMap { headers[$0] },
            originalMethod: originalMethodHeaders.lazy.compactMap { headers[$0] }.first ?? (suffix.isEmpty ? nil : request.method.rawValue),
            originalURI: originalURIHeaders.lazy.compactMap { headers[$0] }.first ?? (suffix.isEmpty ? nil : String(suffix)))
    }
}
