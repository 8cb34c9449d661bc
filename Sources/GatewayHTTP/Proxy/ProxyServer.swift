import AsyncHTTPClient
import GatewayCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the Destination proxy listener (`PROXY_PORT` on `HOST`), a separate application with
/// one responder for every request: the proxy has no routes of its own (no health or metrics),
/// so no path on it can mean anything but "forward".
public enum ProxyServer {
    /// - Parameter client: the destinations' client (`ProxySettings.makeHTTPClient`), owned by the caller.
    public static func makeApplication(
        settings: ProxySettings, configuration: GatewayConfiguration, gatekeeper: Gatekeeper, client: HTTPClient, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let controller = ProxyController(
            settings: settings, gatekeeper: gatekeeper, responses: DecisionResponses(configuration: configuration),
            passthroughHeaderName: configuration.allowsJWTPassthrough ? configuration.signing.headerName : nil, client: client)
        return Application(
            responder: controller,
            server: HTTPServerBuilder { responder in
                RequestHeadDeadlineChannel(
                    base: HTTP1Channel(responder: responder, configuration: .init(idleTimeout: TimeAmount(configuration.idleTimeout))),
                    timeout: configuration.requestHeaderTimeout)
            },
            configuration: .init(
                address: .hostname(configuration.host, port: settings.port), serverName: nil,
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maximumConnections, logger: logger)),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }
}

/// The proxy listener's request context: the client's address (for `X-Forwarded-For`) and no
/// upload limit, as bodies stream through and nothing on this listener collects one. The main
/// listener keeps Hummingbird's default.
public struct ProxyRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    public var maxUploadSize: Int { .max }
}
