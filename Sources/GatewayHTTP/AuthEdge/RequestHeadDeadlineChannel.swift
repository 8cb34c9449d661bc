import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// Any HTTP/1 child channel with a `RequestHeadDeadlineHandler` right after its HTTP/1 decoder:
/// the `/auth` listener's and the Destination proxy's get the same bound on request heads,
/// whatever else their pipelines hold.
struct RequestHeadDeadlineChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    /// `REQUEST_HEADER_TIMEOUT`.
    let timeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let timeout = TimeAmount(self.timeout)
        return base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            try operations.addHandler(RequestHeadDeadlineHandler(timeout: timeout), position: .after(decoder))
            return value
        }
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
