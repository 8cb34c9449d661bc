import Foundation
import Logging
import Testing

@testable import GatewayCore

/// `ConfigurationReloader.reload()`, the entry point SIGHUP calls.
@Suite struct ReloadTests {
    let clock = ManualWallClock(1_800_000_000)

    /// A directory with the gateway's files, removed at the end of the test.
    final class Files {
        let directory: URL

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("reload-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory.appendingPathComponent("previous"), withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

        func write(_ name: String, _ text: String) throws {
            // Replaced, not rewritten in place, as deployment tools do.
            let temporary = directory.appendingPathComponent(".\(UUID().uuidString)")
            try text.write(to: temporary, atomically: false, encoding: .utf8)
            guard rename(temporary.path, directory.appendingPathComponent(name).path) == 0 else { throw CocoaError(.fileWriteUnknown) }
        }
    }

    func runtime(_ files: Files, _ extra: [String: String] = [:]) throws -> (Gatekeeper, ConfigurationReloader, ScriptedIntrospector) {
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(ConfigurationTests.minimal.merging([
            "JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY_FILE": files.path("jwt.pem"), "JWT_PREVIOUS_PUBLIC_KEY_FILE": files.path("previous"),
            "POLICY_FILE": files.path("policy.json"), "ALLOW_JWT_PASSTHROUGH": "true",
        ].merging(extra) { _, new in new }) { _, new in new }))
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["sub": .string("ann"), "scope": .string("read"), "exp": .number(clock.now() + 3600)])))])
        let gatekeeper = TestPipeline.uncached(configuration: configuration, validator: inner, clock: clock).gatekeeper
        return (gatekeeper, ConfigurationReloader(configuration: configuration, settings: gatekeeper.liveSettings, logger: Logger(label: "test")), inner)
    }

    static func request(_ uri: String, jwt: String? = nil) -> AuthRequest {
        AuthRequest(authorization: jwt == nil ? .parse("Bearer t") : .missing, presentedJWT: jwt, originalMethod: "GET", originalURI: uri)
    }

    @Test func aRequestWaitingForTheProviderIsJudgedByTheRulesItStartedWith() async throws {
        let files = try Files()
        try files.write("jwt.pem", try OpenSSLKeys.privateKey(.edDSA))
        try files.write("policy.json", #"{"rules": []}"#)
        let (gatekeeper, reloader, inner) = try runtime(files)
        guard case .pending(let pending) = gatekeeper.prepare(Self.request("/reports")) else {
            Issue.record("an uncached token waits for the provider")
            return
        }
        try files.write("policy.json", #"{"rules": [{"path": "/reports/**", "all_scopes": ["reports"]}]}"#)
        guard case .reloaded = reloader.reload() else {
            Issue.record("a valid file must be taken")
            return
        }
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.finish(pending)) == "allow ann", "no rules when it started")
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.decide(Self.request("/reports"))) == "403 scope=reports")
        #expect(inner.calls == 2)
    }

    @Test func aValidPolicyFileReplacesTheRulesAnInvalidOneKeepsThem() async throws {
        let files = try Files()
        try files.write("jwt.pem", try OpenSSLKeys.privateKey(.edDSA))
        try files.write("policy.json", #"{"rules": [{"path": "/admin/**", "all_scopes": ["admin"]}]}"#)
        let (gatekeeper, reloader, _) = try runtime(files)
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.decide(Self.request("/admin/x"))) == "403 scope=admin")
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.decide(Self.request("/reports"))) == "allow ann")

        try files.write("policy.json", #"{"rules": [{"path": "/reports/**", "all_scopes": ["reports"]}]}"#)
        guard case .reloaded(let summary) = reloader.reload() else {
            Issue.record("a valid file must be taken")
            return
        }
        #expect(summary.hasPrefix("policy: 1 rule from "))
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.decide(Self.request("/admin/x"))) == "allow ann")
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.decide(Self.request("/reports"))) == "403 scope=reports")

        try files.write("policy.json", #"{"rules": [{"path": "reports", "all_scopes": "reports"}]}"#)
        guard case .rejected(let problems) = reloader.reload() else {
            Issue.record("an invalid file must be refused")
            return
        }
        #expect(problems.map(\.variable) == ["POLICY_FILE", "POLICY_FILE"])
        #expect(problems[0].message.hasSuffix("rules[0].path: 'reports' must start with '/'"))
        #expect(RoutePolicyGatekeeperTests.outcome(await gatekeeper.decide(Self.request("/reports"))) == "403 scope=reports", "the running rules stay")

        try FileManager.default.removeItem(atPath: files.path("policy.json"))
        #expect(reloader.reload() == .rejected([ConfigurationProblem(variable: "POLICY_FILE", message: "cannot read '\(files.path("policy.json"))'")]))
    }

    @Test func aKeyRotationKeepsEarlierJWTsVerifiable() async throws {
        let files = try Files()
        let firstPEM = try OpenSSLKeys.privateKey(.es256PKCS8)
        try files.write("jwt.pem", firstPEM)
        try files.write("policy.json", #"{"rules": []}"#)
        let (gatekeeper, reloader, inner) = try runtime(files)
        let first = try SigningKey(pem: firstPEM)
        guard case .allow(let before) = await gatekeeper.decide(Self.request("/x")), let oldJWT = before.jwt else {
            Issue.record("expected a JWT")
            return
        }
        #expect(oldJWT.keyID == first.keyID)
        let inFlight = gatekeeper.liveSettings.current

        // Rotate: the new key signs, the old public key stays published.
        let secondPEM = try OpenSSLKeys.privateKey(.rs256PKCS8)
        try files.write("previous/first.pem", try OpenSSLKeys.publicKey(of: firstPEM))
        try files.write("jwt.pem", secondPEM)
        guard case .reloaded(let summary) = reloader.reload() else {
            Issue.record("the rotation must be taken")
            return
        }
        let second = try SigningKey(pem: secondPEM)
        #expect(summary.contains("signing with RS256 key \(second.keyID); also publishing \(first.keyID)"))
        guard case .allow(let after) = await gatekeeper.decide(Self.request("/x")) else {
            Issue.record("expected allow")
            return
        }
        #expect(after.jwt?.keyID == second.keyID)
        #expect(gatekeeper.liveSettings.current.signing.publicKeys.map(\.keyID) == [second.keyID, first.keyID])
        guard case .allow(let passed) = await gatekeeper.decide(Self.request("/x", jwt: oldJWT.compact)) else {
            Issue.record("a JWT of the previous key must still pass")
            return
        }
        #expect(passed.source == .passthrough)
        #expect(inFlight.signing.issuer?.keyID == first.keyID, "a request that took its settings before the reload keeps them")

        // An unusable new key changes nothing, not even a valid policy file next to it.
        try files.write("policy.json", #"{"rules": [{"path": "/**", "deny": true}]}"#)
        try files.write("jwt.pem", try OpenSSLKeys.publicKey(of: secondPEM))
        guard case .rejected(let problems) = reloader.reload() else {
            Issue.record("a public key cannot sign")
            return
        }
        #expect(problems.map(\.variable) == ["JWT_PRIVATE_KEY_FILE"])
        guard case .allow(let still) = await gatekeeper.decide(Self.request("/x")) else {
            Issue.record("the running policy and key stay")
            return
        }
        #expect(still.jwt?.keyID == second.keyID)

        // Dropping the old key ends its JWTs (the emergency rotation).
        try FileManager.default.removeItem(atPath: files.path("previous/first.pem"))
        try files.write("jwt.pem", secondPEM)
        try files.write("policy.json", #"{"rules": []}"#)
        #expect(reloader.reload() != .rejected([]))
        guard case .deny(.missingToken) = await gatekeeper.decide(Self.request("/x", jwt: oldJWT.compact)) else {
            Issue.record("a JWT of an unpublished key is treated as absent")
            return
        }
        #expect(inner.calls == 3, "the passthrough decisions needed no introspection")
    }

    @Test func aCachedJWTOfTheReplacedKeyIsSignedAnew() async throws {
        let files = try Files()
        try files.write("jwt.pem", try OpenSSLKeys.privateKey(.edDSA))
        try files.write("policy.json", #"{"rules": []}"#)
        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(ConfigurationTests.minimal.merging([
            "JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY_FILE": files.path("jwt.pem"), "POLICY_FILE": files.path("policy.json"),
        ]) { _, new in new }))
        let inner = ScriptedIntrospector(["t": .success(.active(TokenClaims(["sub": .string("ann"), "exp": .number(clock.now() + 3600)])))])
        let gatekeeper = TestPipeline(configuration: configuration, validator: inner, clock: clock).gatekeeper
        let reloader = ConfigurationReloader(configuration: configuration, settings: gatekeeper.liveSettings, logger: Logger(label: "test"))
        guard case .allow(let first) = await gatekeeper.decide(Self.request("/x")),
              case .decided(.allow(let hit)) = gatekeeper.prepare(Self.request("/x"))
        else {
            Issue.record("expected allows")
            return
        }
        #expect(hit.jwt == first.jwt)
        try files.write("jwt.pem", try OpenSSLKeys.privateKey(.edDSA))
        reloader.reload()
        guard case .decided(.allow(let rotated)) = gatekeeper.prepare(Self.request("/x")) else {
            Issue.record("expected a cache hit")
            return
        }
        #expect(rotated.source == .cache && rotated.jwt?.keyID != first.jwt?.keyID && rotated.jwt?.keyID != nil)
        #expect(inner.calls == 1)
    }
}
