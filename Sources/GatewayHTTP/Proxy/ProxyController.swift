import AsyncHTTPClient
import GatewayCore
import HTTPTypes
import Hummingbird

/// The Destination listener (`PROXY_PORT`): every request, any method and path, is checked by
/// the same pipeline as `/auth` and, when allowed, forwarded to the origin its Destination header
/// names, if the allowlist names it.
///
/// In order: the request target and the Destination header are read (400 if either is
/// malformed), the origin is looked up in the allowlist (403 if absent); then the pipeline
/// decides, and 401/403/503 are answered exactly as `/auth` answers them. Only an allowed request
/// opens a connection to a destination.
public struct ProxyController: HTTPResponder {
    public typealias Context = ProxyRequestContext

    private let gatekeeper: Gatekeeper
    private let responses: DecisionResponses
    private let allowlist: DestinationAllowlist
    private let destinationHeader: HTTPField.Name
    private let presentedJWTHeader: HTTPField.Name?
    private let forwarder: DestinationForwarder

    public init(
        settings: ProxySettings, gatekeeper: Gatekeeper, responses: DecisionResponses, passthroughHeaderName: String?, client: HTTPClient
    ) {
        self.gatekeeper = gatekeeper
        self.responses = responses
        allowlist = settings.allowlist
        // The configuration checked the name.
        destinationHeader = HTTPField.Name(settings.destinationHeader)!
        presentedJWTHeader = passthroughHeaderName.flatMap { HTTPField.Name($0) }
        forwarder = DestinationForwarder(
            client: client,
            headers: ForwardedHeaders(
                destinationHeader: settings.destinationHeader, forwardsAuthorization: settings.forwardsAuthorization,
                grantHeaderNames: responses.grantHeaderNames))
    }

    public func respond(to request: Request, context: Context) async throws -> Response {
        let isHEAD = request.method == .head
        let target: String
        let destination: Destination
        switch route(request) {
        case .forward(let routeTarget, let routeDestination): (target, destination) = (routeTarget, routeDestination)
        case .refuse(let refusal): return refusal.response(forHEAD: isHEAD)
        }
        let decision = await gatekeeper.decide(AuthRequest(
            authorization: AuthorizationHeader.parse(request.headers[values: .authorization]),
            presentedJWT: presentedJWTHeader.flatMap { request.headers[$0] },
            originalMethod: request.method.rawValue, originalURI: target))
        guard case .allow(let grant) = decision else {
            return responses.response(for: decision).response(forHEAD: isHEAD)
        }
        var grantHeaders: [(name: String, value: String)] = []
        responses.appendGrant(grant, to: &grantHeaders)
        return await forwarder.forward(
            request, target: target, to: destination, grantHeaders: grantHeaders, clientAddress: context.remoteAddress,
            logger: context.logger)
    }

    private enum Route {
        case forward(target: String, Destination)
        /// The proxy's own 400 or 403.
        case refuse(DecisionResponse)
    }

    /// The request target and where it goes, or the proxy's own refusal.
    private func route(_ request: Request) -> Route {
        guard let target = request.head.path, RequestTarget.isForwardable(target) else {
            return .refuse(DecisionResponses.plain(
                .badRequest, "the request target must be /path?query with characters a URL carries (percent-encode others)\n", challenge: nil))
        }
        let values = request.headers[values: destinationHeader]
        guard values.count == 1, let value = values.first else {
            let problem = values.isEmpty ? "missing" : "given more than once"
            return .refuse(DecisionResponses.plain(.badRequest, "\(destinationHeader) header \(problem)\n", challenge: nil))
        }
        let destination: Destination
        do {
            destination = try Destination.parse(value)
        } catch {
            return .refuse(DecisionResponses.plain(.badRequest, "\(destinationHeader) \(error.message)\n", challenge: nil))
        }
        guard allowlist.allows(destination.origin) else {
            return .refuse(DecisionResponses.plain(.forbidden, "destination not allowed\n", challenge: nil))
        }
        return .forward(target: target, destination)
    }
}
