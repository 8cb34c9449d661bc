import Synchronization

@testable import GatewayCore

/// A `TokenValidator` whose answers the test sets, and which counts the calls it gets.
final class ScriptedIntrospector: TokenValidator {
    private let state: Mutex<(answers: [String: Result<IntrospectionResult, IntrospectionFailure>], calls: Int)>

    init(_ answers: [String: Result<IntrospectionResult, IntrospectionFailure>] = [:]) {
        state = Mutex((answers, 0))
    }

    var calls: Int { state.withLock { $0.calls } }

    func set(_ token: String, _ answer: Result<IntrospectionResult, IntrospectionFailure>) {
        state.withLock { $0.answers[token] = answer }
    }

    func validate(_ token: BearerToken) async throws(IntrospectionFailure) -> IntrospectionResult {
        let answer = state.withLock { state in
            state.calls += 1
            return state.answers[token.value] ?? .success(.inactive(.notActive))
        }
        return try answer.get()
    }
}
