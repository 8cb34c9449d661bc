import GatewayCore
import Hummingbird

/// `/healthz`: the process answers. `/readyz`: the configuration is loaded (it is, or the process
/// would not run) and the identity provider answered in the last check.
public struct HealthController: Sendable {
    private let readiness: ReadinessProbe

    public init(readiness: ReadinessProbe) {
        self.readiness = readiness
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.on("/healthz", method: .get) { _, _ in Self.text(.ok, "ok\n") }
        router.on("/healthz", method: .head) { _, _ in Self.text(.ok, "") }
        router.on("/readyz", method: .get) { _, _ in
            await readiness.isReady() ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, "identity provider unreachable\n")
        }
    }

    private static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
