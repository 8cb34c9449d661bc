import Synchronization

/// Whether the identity provider answered lately: the basis of `/readyz`.
///
/// Every real introspection records its outcome. An answer (active or inactive) means
/// reachable; a failure that blames the provider means unreachable.
public final class ProviderHealth: Sendable {
    private struct State {
        var lastOutcomeAt: Double?
        var reachable = false
    }

    private let state = Mutex(State())
    private let clock: any WallClock

    public init(clock: any WallClock = SystemWallClock()) {
        self.clock = clock
    }

    public func recordAnswer() {
        let now = clock.now()
        state.withLock { $0 = State(lastOutcomeAt: now, reachable: true) }
    }

    public func recordFailure(_ failure: IntrospectionFailure) {
        let now = clock.now()
        state.withLock { $0 = State(lastOutcomeAt: now, reachable: false) }
    }

    /// The last known state if it is no older than `maximumAge` seconds; nil when a fresh check is due.
    public func knownReachability(maximumAge: Double) -> Bool? {
        let now = clock.now()
        return state.withLock { state in
            guard let at = state.lastOutcomeAt, now - at <= maximumAge else { return nil }
            return state.reachable
        }
    }
}
