import Synchronization

/// The settings a reload (SIGHUP) may replace while requests run: the route policy and the
/// signing keys. Each request takes one `Snapshot` (one lock, one reference) and decides with it
/// from start to end; a reload swaps in a new snapshot without waiting for anyone.
public final class LiveSettings: Sendable {
    /// The route policy and signing state of one moment. Immutable.
    public final class Snapshot: Sendable {
        public let routes: RoutePolicy
        public let signing: SigningState

        public init(routes: RoutePolicy, signing: SigningState) {
            self.routes = routes
            self.signing = signing
        }
    }

    private let state: Mutex<Snapshot>

    public init(_ snapshot: Snapshot) {
        state = Mutex(snapshot)
    }

    /// The settings as they were read at start-up.
    public convenience init(configuration: GatewayConfiguration) {
        self.init(Snapshot(
            routes: configuration.policy.routes,
            signing: SigningState(signing: configuration.signing, allowsPassthrough: configuration.allowsJWTPassthrough, clockSkew: configuration.clockSkew)))
    }

    /// The settings in force now.
    public var current: Snapshot { state.withLock { $0 } }

    /// Puts new settings in force; returns the ones they replace.
    @discardableResult
    public func replace(with snapshot: Snapshot) -> Snapshot {
        state.withLock { current in
            let previous = current
            current = snapshot
            return previous
        }
    }
}
