import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// RFC 7662 token introspection over HTTP(S) with AsyncHTTPClient.
///
/// `POST` with a form body sent with a `Content-Length` (widely deployed servers ignore chunked
/// form bodies), client authentication by `client_secret_basic` or `client_secret_post`, pooled
/// keep-alive connections. One quick retry after a refused connection or a 5xx; the whole
/// look-up, retry included, is bounded by the configured timeout.
public struct HTTPTokenIntrospector: TokenValidator {
    /// Largest answer read; an identity provider's answer is a few hundred bytes.
    public static let maximumAnswerSize = 64 * 1024

    private let client: HTTPClient
    private let url: String
    private let headers: HTTPHeaders
    private let credentialFields: [(String, String)]
    private let timeout: Duration
    private let clockSkew: Double
    private let clock: any WallClock
    private let retryDelay: Duration
    private let health: ProviderHealth?

    public init(
        configuration: GatewayConfiguration.IdentityProvider, clockSkew: Duration, client: HTTPClient,
        clock: any WallClock = SystemWallClock(), health: ProviderHealth? = nil, retryDelay: Duration = .milliseconds(50)
    ) {
        self.client = client
        self.health = health
        self.url = configuration.introspectionURL.absoluteString
        self.timeout = configuration.timeout
        self.clockSkew = clockSkew.seconds
        self.clock = clock
        self.retryDelay = retryDelay
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        headers.add(name: "Accept", value: "application/json")
        headers.add(name: "User-Agent", value: "introspection-gateway")
        switch configuration.clientAuthentication {
        case .clientSecretBasic:
            let pair = FormURLEncoding.encode(configuration.clientID) + ":" + FormURLEncoding.encode(configuration.clientSecret.reveal())
            headers.add(name: "Authorization", value: "Basic " + Data(pair.utf8).base64EncodedString())
            credentialFields = []
        case .clientSecretPost:
            credentialFields = [("client_id", configuration.clientID), ("client_secret", configuration.clientSecret.reveal())]
        }
        self.headers = headers
    }

    /// The HTTP client for the identity provider: certificate checks per `SSL_SECURE` and
    /// `SSO_CA_FILE`, no redirects, no connection retries hidden inside the client (a refused
    /// connection must fail fast, not after a back-off).
    public static func makeHTTPClient(for configuration: GatewayConfiguration.IdentityProvider, eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup) throws -> HTTPClient {
        let tls = try ClientTLS.configuration(verifiesCertificates: configuration.verifiesCertificates, caFile: configuration.caFile)
        let timeout = TimeAmount.nanoseconds(Int64(configuration.timeout.seconds * 1e9))
        var clientConfiguration = HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow,
            timeout: .init(connect: timeout, read: timeout),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32))
        clientConfiguration.connectionPool.retryConnectionEstablishment = false
        clientConfiguration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroup: eventLoopGroup, configuration: clientConfiguration)
    }

    public func validate(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        do {
            let result = try await introspectWithinTimeout(token)
            health?.recordAnswer()
            return result
        } catch {
            health?.recordFailure(error)
            throw error
        }
    }

    private func introspectWithinTimeout(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        let deadline = ContinuousClock.now + timeout
        do {
            return try await withThrowingTaskGroup(of: IntrospectionResult?.self) { group in
                group.addTask { try await self.exchangeWithRetry(token, deadline: deadline) }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                defer { group.cancelAll() }
                guard let result = try await group.next() ?? nil else { throw IntrospectionFailure.timeout }
                return result
            }
        } catch let failure as IntrospectionFailure {
            throw failure
        } catch {
            throw Self.classify(error)
        }
    }

    private func exchangeWithRetry(_ token: BearerToken, deadline: ContinuousClock.Instant) async throws -> IntrospectionResult {
        do {
            return try await exchange(token, deadline: deadline)
        } catch let failure as IntrospectionFailure where failure.isRetryable && ContinuousClock.now + retryDelay < deadline {
            try await Task.sleep(for: retryDelay)
            return try await exchange(token, deadline: deadline)
        }
    }

    private func exchange(_ token: BearerToken, deadline: ContinuousClock.Instant) async throws -> IntrospectionResult {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers = headers
        let form = FormURLEncoding.body([("token", token.value), ("token_type_hint", "access_token")] + credentialFields)
        request.body = .bytes(ByteBuffer(string: form))
        let remaining = ContinuousClock.now.duration(to: deadline)
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await client.execute(request, timeout: .nanoseconds(Int64(max(remaining.seconds, 0.001) * 1e9)))
            body = try await response.body.collect(upTo: Self.maximumAnswerSize)
        } catch is NIOTooManyBytesError {
            throw IntrospectionFailure.answerTooLarge(limit: Self.maximumAnswerSize)
        } catch {
            throw Self.classify(error)
        }
        switch response.status.code {
        case 200:
            return try IntrospectionAnswer.parse(body.readableBytesView, now: clock.now(), clockSkew: clockSkew)
        case 401, 403:
            throw IntrospectionFailure.credentialsRejected(status: Int(response.status.code))
        case 429:
            throw IntrospectionFailure.rateLimited(retryAfter: response.headers.first(name: "Retry-After"))
        case 500...599:
            throw IntrospectionFailure.serverError(status: Int(response.status.code))
        default:
            throw IntrospectionFailure.unexpectedStatus(Int(response.status.code))
        }
    }

    /// Maps a transport error to the failure it means.
    static func classify(_ error: any Error) -> IntrospectionFailure {
        if let failure = error as? IntrospectionFailure { return failure }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .connectTimeout, .readTimeout, .tlsHandshakeTimeout: return .timeout
            default: return .connectionFailed(String(describing: clientError))
            }
        }
        if error is NIOSSLError || error is BoringSSLError { return .tls(String(describing: error).prefix(200).description) }
        if error is CancellationError { return .timeout }
        let detail = String(describing: error)
        if detail.contains("NIOSSL") || detail.contains("certificate") { return .tls(String(detail.prefix(200))) }
        if detail.lowercased().contains("refused") { return .connectionFailed("connection refused") }
        return .connectionFailed(String(detail.prefix(200)))
    }
}
