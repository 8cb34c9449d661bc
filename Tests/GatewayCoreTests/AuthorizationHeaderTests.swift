import Testing

@testable import GatewayCore

@Suite struct AuthorizationHeaderTests {
    @Test(arguments: [
        ("Bearer abc.DEF-123_~+/", "abc.DEF-123_~+/"),
        ("bearer token==", "token=="),
        ("BEARER   spaced  ", "spaced"),
        ("Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "eyJhbGciOiJIUzI1NiJ9.e30.sig"),
    ])
    func bearerTokensAreTakenWithAnySchemeCase(_ header: String, _ token: String) {
        #expect(AuthorizationHeader.parse(header) == .bearer(BearerToken(token)))
    }

    @Test(arguments: ["Bearer", "Bearer ", "Bearer a b", "Bearer a=b", "Bearer tök", "Bearer a\u{0}", "Bearer ="])
    func malformedBearerValuesAreMalformed(_ header: String) {
        #expect(AuthorizationHeader.parse(header) == .malformed)
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearerx abc", "Digest username=x", "Token abc"])
    func otherSchemesAreNotBearerTokens(_ header: String) {
        #expect(AuthorizationHeader.parse(header) == .otherScheme)
    }

    @Test func missingAndRepeatedHeaders() {
        #expect(AuthorizationHeader.parse([String]()) == .missing)
        #expect(AuthorizationHeader.parse(["Bearer a", "Bearer b"]) == .malformed)
        #expect(AuthorizationHeader.parse(["Bearer a"]) == .bearer(BearerToken("a")))
    }

    @Test func overlongTokensAreRefused() {
        let long = String(repeating: "a", count: AuthorizationHeader.maximumTokenLength + 1)
        #expect(AuthorizationHeader.parse("Bearer " + long) == .malformed)
        let limit = String(repeating: "a", count: AuthorizationHeader.maximumTokenLength)
        #expect(AuthorizationHeader.parse("Bearer " + limit) == .bearer(BearerToken(limit)))
    }

    @Test func aTokenIsNeverShownButItsFingerprintIs() {
        let token = BearerToken("my-very-secret-token")
        #expect(!"\(token)".contains("secret"))
        #expect(token.logID.count == 8)
        // SHA-256("my-very-secret-token"), computed independently with sha256sum.
        #expect(token.fingerprint.hex == "934436a9d31d389bf632afddc5585451dca78af00c0d911154f56171ac6d3ff8")
        #expect(token.logID == "934436a9")
        #expect(TokenFingerprint(hex: token.fingerprint.hex) == token.fingerprint)
        #expect(TokenFingerprint(hex: "zz") == nil)
    }
}
