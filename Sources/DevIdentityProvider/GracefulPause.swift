import ServiceLifecycle

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
