import Synchronization

/// A wall clock the tests move by hand, to expire tokens without waiting.
final class TestClock: Sendable {
    private let seconds: Mutex<Double>

    init(_ start: Double = 1_700_000_000) {
        seconds = Mutex(start)
    }

    var now: Double { seconds.withLock { $0 } }

    func advance(by delta: Double) {
        seconds.withLock { $0 += delta }
    }

    /// For `DevIdentityProvider(now:)`.
    var source: @Sendable () -> Double { { self.now } }
}
