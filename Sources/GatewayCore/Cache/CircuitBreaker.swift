import Synchronization

/// Stops asking a provider that keeps failing: after `failureThreshold` failures in a row the
/// circuit opens and requests fail at once; after a back-off one trial request is let through
/// (half-open). Success closes the circuit; another failure doubles the back-off (up to `maximumBackoff`).
public final class CircuitBreaker: Sendable {
    public enum State: Sendable, Equatable {
        case closed
        case open(until: Double)
        case halfOpen
    }

    private struct Status {
        var state: State = .closed
        var consecutiveFailures = 0
        var backoff: Double
        var trialInFlight = false
    }

    private let status: Mutex<Status>
    private let failureThreshold: Int
    private let initialBackoff: Double
    private let maximumBackoff: Double
    private let clock: any WallClock
    private let metrics: GatewayMetrics

    /// - Parameter failureThreshold: zero disables the breaker.
    public init(failureThreshold: Int, initialBackoff: Duration, maximumBackoff: Duration = .seconds(30), clock: any WallClock, metrics: GatewayMetrics = .disabled) {
        self.failureThreshold = failureThreshold
        self.initialBackoff = initialBackoff.seconds
        self.maximumBackoff = max(maximumBackoff.seconds, initialBackoff.seconds)
        self.clock = clock
        self.metrics = metrics
        status = Mutex(Status(backoff: initialBackoff.seconds))
    }

    public var state: State { status.withLock { $0.state } }

    /// Whether a request may go to the provider now. A true in half-open state makes the caller the trial.
    public func allowsRequest() -> Bool {
        guard failureThreshold > 0 else { return true }
        let now = clock.now()
        let (allowed, changed) = status.withLock { status -> (Bool, State?) in
            switch status.state {
            case .closed:
                return (true, nil)
            case .open(let until):
                guard now >= until else { return (false, nil) }
                status.state = .halfOpen
                status.trialInFlight = true
                return (true, .halfOpen)
            case .halfOpen:
                guard !status.trialInFlight else { return (false, nil) }
                status.trialInFlight = true
                return (true, nil)
            }
        }
        if let changed { report(changed) }
        return allowed
    }

    public func recordSuccess() {
        guard failureThreshold > 0 else { return }
        let changed = status.withLock { status -> Bool in
            let wasClosed = status.state == .closed
            status = Status(backoff: initialBackoff)
            return !wasClosed
        }
        if changed { report(.closed) }
    }

    public func recordFailure() {
        guard failureThreshold > 0 else { return }
        let now = clock.now()
        let opened = status.withLock { status -> State? in
            status.trialInFlight = false
            switch status.state {
            case .closed:
                status.consecutiveFailures += 1
                guard status.consecutiveFailures >= failureThreshold else { return nil }
            case .halfOpen:
                status.backoff = min(status.backoff * 2, maximumBackoff)
            case .open:
                return nil
            }
            status.state = .open(until: now + status.backoff)
            return status.state
        }
        if let opened { report(opened) }
    }

    private func report(_ state: State) {
        metrics.recordCircuit(state)
    }
}
