import Synchronization

@testable import GatewayCore

/// A `TokenValidator` that holds every call until the test opens the gate, then gives the
/// answer the test set. Counts calls, so tests can assert how often the provider was asked.
final class GatedIntrospector: TokenValidator {
    private struct State {
        var answer: Result<IntrospectionResult, IntrospectionFailure>
        var open = false
        var calls = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(_ answer: Result<IntrospectionResult, IntrospectionFailure>, open: Bool = false) {
        state = Mutex(State(answer: answer, open: open))
    }

    var calls: Int { state.withLock { $0.calls } }

    func setAnswer(_ answer: Result<IntrospectionResult, IntrospectionFailure>) {
        state.withLock { $0.answer = answer }
    }

    func openGate() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        waiting.forEach { $0.resume() }
    }

    func validate(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        await withCheckedContinuation { continuation in
            let proceed = state.withLock { state in
                state.calls += 1
                if state.open { return true }
                state.waiting.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
        return try state.withLock { $0.answer }.get()
    }
}
