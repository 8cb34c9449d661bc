import AsyncHTTPClient
import NIOCore

extension ProxySettings {
    /// The HTTP client for destinations, apart from the identity provider's (see `httpClientConfiguration`).
    public func makeHTTPClient(eventLoopGroup: any EventLoopGroup = HTTPClient.defaultEventLoopGroup) throws -> HTTPClient {
        HTTPClient(eventLoopGroup: eventLoopGroup, configuration: try httpClientConfiguration())
    }

    /// Certificate checks per `SSL_SECURE` and `PROXY_CA_FILE`; redirects never followed (a 3xx
    /// goes back to the client, which decides); `PROXY_TIMEOUT` for connecting and for each wait on
    /// the destination's next bytes; at most `connectionsPerDestination` connections per origin;
    /// bodies passed as they are (no decompression).
    func httpClientConfiguration() throws -> HTTPClient.Configuration {
        let timeout = TimeAmount.nanoseconds(Int64(timeout.seconds * 1e9))
        var configuration = HTTPClient.Configuration(
            tlsConfiguration: try ClientTLS.configuration(verifiesCertificates: verifiesCertificates, caFile: caFile),
            redirectConfiguration: .disallow,
            timeout: .init(connect: timeout, read: timeout),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: Self.connectionsPerDestination))
        // A refused connection is the destination's answer: report it (502) at once, not after back-offs.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.httpVersion = .http1Only
        configuration.decompression = .disabled
        return configuration
    }
}
