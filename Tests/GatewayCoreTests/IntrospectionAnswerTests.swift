import Testing

@testable import GatewayCore

@Suite struct IntrospectionAnswerTests {
    let now = 1_800_000_000.0

    func parse(_ json: String) throws(IntrospectionFailure) -> IntrospectionResult {
        try IntrospectionAnswer.parse(Array(json.utf8), now: now, clockSkew: 30)
    }

    @Test func activeAnswersOfEveryShapeAreAccepted() throws {
        let minimal = try parse(#"{"active":true}"#)
        #expect(minimal == .active(TokenClaims([:])))
        let full = try parse(#"{"active":true,"scope":"a b","client_id":"c","username":"u","exp":1800000100.0,"aud":["x","y"],"nbf":1799999999}"#)
        guard case .active(let claims) = full else {
            Issue.record("expected active")
            return
        }
        #expect(claims.expiresAt == 1_800_000_100)
        #expect(claims.subject == nil && claims.username == "u")
        #expect(claims.audiences == ["x", "y"])
        #expect(claims["active"] == nil)
        let single = try parse(#"{"active":true,"aud":"only","scope":["a","b"]}"#)
        if case .active(let claims) = single {
            #expect(claims.audiences == ["only"])
            #expect(claims.scope == "a b")
        } else {
            Issue.record("expected active")
        }
    }

    @Test func inactiveExpiredAndNotYetValidTokensAreInactive() throws {
        #expect(try parse(#"{"active":false}"#) == .inactive(.notActive))
        #expect(try parse(#"{"active":true,"exp":1800000000}"#) == .inactive(.expired))
        #expect(try parse(#"{"active":true,"exp":1799999999.9}"#) == .inactive(.expired))
        #expect(try parse(#"{"active":true,"nbf":1800000031}"#) == .inactive(.notYetValid))
        if case .active = try parse(#"{"active":true,"nbf":1800000029}"#) {} else { Issue.record("nbf within the skew is valid") }
    }

    @Test(arguments: [
        "not json", "[true]", "true", #"{"active":"true"}"#, #"{"active":1}"#, #"{"scope":"x"}"#,
        #"{"active":true,"exp":"tomorrow"}"#, "",
    ])
    func answersThatAreNotRFC7662AreFailuresNotInactive(_ body: String) {
        #expect(throws: IntrospectionFailure.self) { try parse(body) }
    }
}
