import GatewayCore
import Hummingbird

/// Sends `/auth` and `/auth/…` (any method) to the `AuthController` and everything else to the router.
///
/// `/auth` bypasses the router because it must accept every method, HEAD and unknown ones
/// included, and because it is the hot path.
struct GatewayResponder<Fallback: HTTPResponder>: HTTPResponder where Fallback.Context == BasicRequestContext {
    typealias Context = BasicRequestContext
    let auth: AuthController
    let fallback: Fallback

    func respond(to request: Request, context: Context) async throws -> Response {
        if AuthController.handles(path: request.uri.path) {
            return await auth.respond(to: request)
        }
        return try await fallback.respond(to: request, context: context)
    }
}
