import NIOCore
import NIOHTTP1

/// The last answer on a connection the gateway stops reading: a short plain-text status with
/// `Connection: close`, after which the connection closes (an unparseable request, a request
/// head that did not arrive in time).
enum ConnectionClosingAnswer {
    /// Writes the answer from `context` towards the HTTP/1 encoder and closes once it is flushed.
    static func send(_ status: HTTPResponseStatus, _ text: String, context: ChannelHandlerContext) {
        let headers = HTTPHeaders([
            ("Connection", "close"), ("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", String(text.utf8.count)),
        ])
        context.write(NIOAny(HTTPServerResponsePart.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: text)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
