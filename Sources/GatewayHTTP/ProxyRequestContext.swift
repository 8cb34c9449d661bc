import Hummingbird
import NIOCore

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
