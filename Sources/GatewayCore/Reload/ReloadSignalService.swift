import ServiceLifecycle
import UnixSignals

/// Reloads the policy file and signing keys on SIGHUP (`ConfigurationReloader`), for as long as
/// the gateway runs. A reload swaps settings under a lock; requests in flight are not dropped.
public struct ReloadSignalService: Service {
    private let reloader: ConfigurationReloader

    public init(reloader: ConfigurationReloader) {
        self.reloader = reloader
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            reloader.reload()
        }
    }
}
