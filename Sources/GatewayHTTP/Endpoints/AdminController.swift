import Crypto
import Foundation
import GatewayCore
import Hummingbird
import Logging

/// The cache admin API: evict one token (revocation) or flush everything.
///
/// - `POST /admin/cache/evict` with `{"token": "…"}` or `{"sha256": "<64 hex digits>"}`
/// - `POST /admin/cache/flush`
///
/// Served on its own loopback listener (`ADMIN_PORT`) and/or behind `ADMIN_TOKEN`.
public struct AdminController: Sendable {
    private let cache: IntrospectionCache
    private let token: Secret?

    public init(cache: IntrospectionCache, token: Secret?) {
        self.cache = cache
        self.token = token
    }

    private struct EvictRequest: Decodable {
        var token: String?
        var sha256: String?
    }

    public func addRoutes(to router: Router<BasicRequestContext>) {
        router.post("/admin/cache/evict") { request, context in
            if let refusal = authorize(request) { return refusal }
            let body = try await request.body.collect(upTo: 64 * 1024)
            guard let evict = try? JSONDecoder().decode(EvictRequest.self, from: Data(body.readableBytesView)) else {
                return Self.json(.badRequest, #"{"error":"send a JSON object with \"token\" or \"sha256\""}"#)
            }
            let fingerprint: TokenFingerprint
            switch (evict.token, evict.sha256) {
            case (let token?, nil): fingerprint = BearerToken(token).fingerprint
            case (nil, let hex?):
                guard let parsed = TokenFingerprint(hex: hex) else {
                    return Self.json(.badRequest, #"{"error":"sha256 must be 64 hex digits"}"#)
                }
                fingerprint = parsed
            default:
                return Self.json(.badRequest, #"{"error":"give exactly one of \"token\" and \"sha256\""}"#)
            }
            let evicted = cache.evict(fingerprint)
            context.logger.info("admin: evicted a token from the cache", metadata: ["token": "\(fingerprint.shortHex)", "was_cached": "\(evicted)"])
            return Self.json(.ok, #"{"evicted":\#(evicted),"sha256":"\#(fingerprint.hex)"}"#)
        }
        router.post("/admin/cache/flush") { request, context in
            if let refusal = authorize(request) { return refusal }
            let flushed = cache.flush()
            context.logger.info("admin: flushed the cache", metadata: ["entries": "\(flushed)"])
            return Self.json(.ok, #"{"flushed":\#(flushed)}"#)
        }
    }

    /// nil when the request may use the API; otherwise the 401 to send.
    private func authorize(_ request: Request) -> Response? {
        guard let token else { return nil }
        let expected = SHA256.hash(data: Data(token.reveal().utf8))
        let presented: String? = if case .bearer(let bearer) = AuthorizationHeader.parse(request.headers[values: .authorization]) { bearer.value } else { nil }
        // Compared as digests, so the time taken says nothing about the token.
        if let presented, SHA256.hash(data: Data(presented.utf8)) == expected { return nil }
        var response = Self.json(.unauthorized, #"{"error":"admin token required"}"#)
        response.headers[.wwwAuthenticate] = #"Bearer realm="introspection-gateway-admin""#
        return response
    }

    private static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
