import Hummingbird
import NIOCore
import Synchronization

/// Carries a request body from the client's connection to AsyncHTTPClient, a bounded amount at
/// a time: the client is read only as fast as the destination takes the bytes.
///
/// Why not hand `request.body` to AsyncHTTPClient directly: it reads a streamed body in an
/// unstructured task of its own, which may still be waiting on the client's connection after the
/// exchange is over, while Hummingbird reads that connection for the next request. A connection
/// must have one reader. So the proxy reads the body itself (`pump(_:)`, awaited before the
/// response is complete), and `close()` releases whoever waits on the other side.
final class RequestBodyPipe: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    /// Bytes held between the two sides before the client's side waits.
    static let capacity = 256 * 1024

    private enum End {
        case finished
        case failed(any Error)
    }

    private struct State {
        var chunks: [ByteBuffer] = []
        var bufferedBytes = 0
        var end: End?
        /// The exchange is over: chunks are dropped, the consumer sees the end.
        var closed = false
        var consumer: CheckedContinuation<ByteBuffer?, any Error>?
        var producer: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Reads the client's body to its end into the pipe. After `close()` the rest is read and
    /// dropped, which keeps the connection usable for its next request (as Hummingbird does after
    /// an early response).
    func pump(_ body: RequestBody) async {
        do {
            for try await chunk in body { await send(chunk) }
            finish(nil)
        } catch {
            finish(error)
        }
    }

    /// The exchange no longer reads: wake both sides, and drop whatever comes.
    func close() {
        let (consumer, producer) = state.withLock { state in
            state.closed = true
            state.chunks = []
            state.bufferedBytes = 0
            defer { state.consumer = nil; state.producer = nil }
            return (state.consumer, state.producer)
        }
        consumer?.resume(returning: nil)
        producer?.resume()
    }

    private func send(_ chunk: ByteBuffer) async {
        enum Action {
            case done
            case hand(CheckedContinuation<ByteBuffer?, any Error>)
            case wait
        }
        let action = state.withLock { state -> Action in
            if state.closed { return .done }
            if let consumer = state.consumer {
                state.consumer = nil
                return .hand(consumer)
            }
            state.chunks.append(chunk)
            state.bufferedBytes += chunk.readableBytes
            return state.bufferedBytes >= Self.capacity ? .wait : .done
        }
        switch action {
        case .done:
            return
        case .hand(let consumer):
            consumer.resume(returning: chunk)
        case .wait:
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state in
                    if state.closed || state.bufferedBytes < Self.capacity { return true }
                    state.producer = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        }
    }

    private func finish(_ error: (any Error)?) {
        let consumer = state.withLock { state in
            state.end = error.map(End.failed) ?? .finished
            defer { state.consumer = nil }
            return state.consumer
        }
        if let error { consumer?.resume(throwing: error) } else { consumer?.resume(returning: nil) }
    }

    private func next() async throws -> ByteBuffer? {
        enum Action {
            case chunk(ByteBuffer, wake: CheckedContinuation<Void, Never>?)
            case end
            case fail(any Error)
            case wait
        }
        func take(_ state: inout State) -> Action {
            if !state.chunks.isEmpty {
                let chunk = state.chunks.removeFirst()
                state.bufferedBytes -= chunk.readableBytes
                var wake: CheckedContinuation<Void, Never>?
                if state.bufferedBytes < Self.capacity {
                    wake = state.producer
                    state.producer = nil
                }
                return .chunk(chunk, wake: wake)
            }
            if state.closed { return .end }
            switch state.end {
            case .finished: return .end
            case .failed(let error): return .fail(error)
            case nil: return .wait
            }
        }
        switch state.withLock({ take(&$0) }) {
        case .chunk(let chunk, let wake):
            wake?.resume()
            return chunk
        case .end:
            return nil
        case .fail(let error):
            throw error
        case .wait:
            return try await withCheckedThrowingContinuation { continuation in
                switch state.withLock({ state -> Action in
                    let action = take(&state)
                    if case .wait = action { state.consumer = continuation }
                    return action
                }) {
                case .chunk(let chunk, let wake):
                    wake?.resume()
                    continuation.resume(returning: chunk)
                case .end:
                    continuation.resume(returning: nil)
                case .fail(let error):
                    continuation.resume(throwing: error)
                case .wait:
                    break
                }
            }
        }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let pipe: RequestBodyPipe

        func next() async throws -> ByteBuffer? {
            try await pipe.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(pipe: self)
    }
}
