import ServiceLifecycle

/// How `POST /introspect` misbehaves, to test the gateway against a flaky provider.
///
/// Every introspection request is counted and recorded before the mode applies. Modes that
/// only change timing (`delay`, `hang`, `slowBody`) deliver the answer the provider would
/// normally give; the others replace it, whatever the request was.
public enum FailureMode: Sendable, Equatable {
    /// Answers as a correct provider would.
    case normal
    /// Waits this long, then answers normally. A graceful shutdown cuts the wait short.
    case delay(Duration)
    /// Answers with this status (200...599) and a short text body, plus `Retry-After` when given.
    case status(Int, retryAfter: String? = nil)
    /// 200 with a body that is not JSON: `{"active": tru`.
    case malformedJSON
    /// 200 with JSON that is not an object: `[true]`.
    case nonObjectJSON
    /// 200 with the token's claims but `"active":"true"`, a string where RFC 7662 wants a boolean.
    case activeAsString
    /// 200 with the normal JSON answer padded to this many bytes (at most 64 MiB).
    case hugeBody(bytes: Int)
    /// Accepts the request and never answers, until the mode changes (then it answers
    /// normally) or the server shuts down gracefully (then it answers 503).
    case hang
    /// 200 with the headers at once, then the normal answer a few bytes per interval.
    case slowBody(interval: Duration)
}

/// Sleeps that end early when the server shuts down gracefully, so a provider in a slow
/// failure mode never holds up the shutdown of the tests that use it.
enum GracefulPause {
    /// Waits for `duration`. Returns false if a graceful shutdown or task cancellation cut the
    /// wait short (request handlers run inside the server's service, which carries the
    /// graceful-shutdown signal as a task local).
    static func pause(for duration: Duration) async -> Bool {
        do {
            try await cancelWhenGracefulShutdown {
                try await Task.sleep(for: duration)
            }
            return true
        } catch {
            return false
        }
    }
}
