import GatewayCore
import Hummingbird

/// `/.well-known/jwks.json`: the public keys the gateway's JWTs verify with (RFC 7517), the
/// signing key first, then the previous keys kept through a rotation. `{"keys":[]}` when the
/// gateway signs with HS256 (a shared secret is never published) or not at all.
///
/// Upstreams cache it; five minutes is short enough for a rotation that publishes the next key
/// before signing with it (see `docs/policy-and-signing.md`).
public struct JWKSController: Sendable {
    public static let path = "/.well-known/jwks.json"
    private let settings: LiveSettings

    public init(settings: LiveSettings) {
        self.settings = settings
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.on(RouterPath(Self.path), method: .get) { _, _ in respond() }
        router.on(RouterPath(Self.path), method: .head) { _, _ in respond() }
    }

    private func respond() -> Response {
        let jwks = settings.current.signing.jwks
        return Response(
            status: .ok,
            headers: [.contentType: "application/json", .cacheControl: "public, max-age=300"],
            body: .init(byteBuffer: ByteBuffer(bytes: jwks)))
    }
}
