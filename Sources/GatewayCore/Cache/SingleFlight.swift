import Synchronization

/// Runs one operation per key at a time: callers that ask for a key already in flight wait for
/// that flight's result instead of starting their own.
///
/// The flight runs in its own task, so a caller that goes away (a client that disconnects)
/// does not cancel it for the others. Waiters per flight are bounded: past the bound a caller
/// gets `overloaded` at once rather than joining an unbounded queue.
public final class SingleFlight<Key: Hashable & Sendable, Value: Sendable, Failure: Error>: Sendable {
    private let flights = Mutex<[Key: Flight]>([:])
    private let maximumWaiters: Int
    private let overloaded: Failure

    private final class Flight: Sendable {
        let task: Task<Result<Value, Failure>, Never>
        let waiters = Atomic<Int>(0)
        init(task: Task<Result<Value, Failure>, Never>) { self.task = task }
    }

    /// How a caller took part.
    public enum Role: Sendable {
        case leader
        case waiter
        case rejected
    }

    /// - Parameter overloaded: what a caller gets when `maximumWaiters` already wait for its key.
    public init(maximumWaiters: Int = 10_000, overloaded: Failure) {
        self.maximumWaiters = maximumWaiters
        self.overloaded = overloaded
    }

    /// The result of `operation` for `key`, run once for all concurrent callers. `onJoin` is
    /// told at once how this caller takes part (before any waiting).
    public func run(
        _ key: Key, onJoin: (Role) -> Void = { _ in }, operation: @escaping @Sendable () async -> Result<Value, Failure>
    ) async -> Result<Value, Failure> {
        let (flight, role) = flights.withLock { flights -> (Flight?, Role) in
            if let flight = flights[key] {
                guard flight.waiters.add(1, ordering: .relaxed).newValue <= maximumWaiters else {
                    flight.waiters.subtract(1, ordering: .relaxed)
                    return (nil, .rejected)
                }
                return (flight, .waiter)
            }
            // Created under the lock, and the task removes its own entry under the same lock
            // when done: no caller can join a finished flight, nor miss a running one.
            let flight = Flight(task: Task {
                let result = await operation()
                _ = self.flights.withLock { $0.removeValue(forKey: key) }
                return result
            })
            flights[key] = flight
            return (flight, .leader)
        }
        onJoin(role)
        guard let flight else { return .failure(overloaded) }
        return await flight.task.value
    }

    /// Callers waiting for the flight of this key, besides its leader.
    public func waiters(for key: Key) -> Int {
        flights.withLock { $0[key]?.waiters.load(ordering: .relaxed) ?? 0 }
    }

    /// Number of keys in flight.
    public var inFlight: Int { flights.withLock { $0.count } }
}
