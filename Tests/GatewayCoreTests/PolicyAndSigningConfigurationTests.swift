import Foundation
import Testing

@testable import GatewayCore

/// POLICY_FILE, the asymmetric signing variables, JWT_CLAIMS, JWT_AUDIENCE and CLAIM_HEADERS.
@Suite struct PolicyAndSigningConfigurationTests {
    let base = ConfigurationTests.minimal

    func parse(_ variables: [String: String], files: [String: String] = [:]) throws(ConfigurationError) -> GatewayConfiguration {
        try ConfigurationParsing.parse(base.merging(variables) { _, new in new }, files: files)
    }

    func problems(_ variables: [String: String], files: [String: String] = [:]) -> [ConfigurationProblem] {
        ConfigurationParsing.problems(base.merging(variables) { _, new in new }, files: files)
    }

    @Test func aPrivateKeyFileSelectsItsAlgorithm() throws {
        for kind in OpenSSLKeys.Kind.allCases {
            let configuration = try parse(
                ["JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY_FILE": "/keys/jwt.pem"], files: ["/keys/jwt.pem": try OpenSSLKeys.privateKey(kind)])
            #expect(configuration.signing.keys?.current.algorithm.rawValue == kind.algorithm)
            #expect(configuration.signing.privateKeyFile == "/keys/jwt.pem")
        }
    }

    @Test func secretAndPrivateKeyAreExclusiveAndOneIsNeeded() throws {
        let key = try OpenSSLKeys.privateKey(.edDSA)
        let both = problems(
            ["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32), "JWT_PRIVATE_KEY_FILE": "/k.pem"], files: ["/k.pem": key])
        #expect(both.map(\.variable) == ["JWT_SECRET"] && both[0].message.contains("not both"))
        let neither = problems(["JWT_HEADER_NAME": "X-JWT"])
        #expect(neither.map(\.variable) == ["JWT_SECRET"] && neither[0].message.contains("JWT_PRIVATE_KEY_FILE"))
        let inline = try parse(["JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY": key])
        #expect(inline.signing.keys?.current.algorithm == .edDSA && inline.signing.privateKeyFile == nil)
        #expect(try parse(["JWT_PRIVATE_KEY": key]).warnings.contains { $0.contains("JWT_HEADER_NAME is not") })
    }

    @Test func unusableKeysAreReportedWithTheOtherProblems() throws {
        let found = problems(
            [
                "PORT": "http", "JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY_FILE": "/keys/public.pem",
                "JWT_PREVIOUS_PUBLIC_KEY_FILE": "/keys/old.pem, /keys/missing.pem",
            ],
            files: [
                "/keys/public.pem": try OpenSSLKeys.publicKey(of: try OpenSSLKeys.privateKey(.edDSA)),
                "/keys/old.pem": try OpenSSLKeys.privateKey(.es256PKCS8),
            ])
        try #require(found.map(\.variable) == ["PORT", "JWT_PRIVATE_KEY_FILE", "JWT_PREVIOUS_PUBLIC_KEY_FILE", "JWT_PREVIOUS_PUBLIC_KEY_FILE"])
        let messages = found.map(\.message)
        #expect(messages[1].hasPrefix("'/keys/public.pem' holds a public key"))
        #expect(messages[2].hasPrefix("'/keys/old.pem' holds a private key"))
        #expect(messages[3] == "cannot read '/keys/missing.pem'")
        let alone = problems(["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32), "JWT_PREVIOUS_PUBLIC_KEY_FILE": "/k.pub"],
                             files: ["/k.pub": try OpenSSLKeys.publicKey(of: try OpenSSLKeys.privateKey(.edDSA))])
        #expect(alone.map(\.variable) == ["JWT_PREVIOUS_PUBLIC_KEY_FILE"] && alone[0].message.contains("needs JWT_PRIVATE_KEY_FILE"))
        #expect(problems(["JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY_FILE": "/nowhere.pem"]).map(\.variable) == ["JWT_PRIVATE_KEY_FILE"])
    }

    @Test func previousKeysComeFromFilesAndDirectories() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("previous-keys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let old = [try OpenSSLKeys.privateKey(.rs256PKCS8), try OpenSSLKeys.privateKey(.es256SEC1), try OpenSSLKeys.privateKey(.edDSA)]
        let publics = try old.map { try OpenSSLKeys.publicKey(of: $0) }
        try (publics[0] + publics[1]).write(to: directory.appendingPathComponent("a.pem"), atomically: true, encoding: .utf8)
        try publics[2].write(to: directory.appendingPathComponent("b.pem"), atomically: true, encoding: .utf8)
        try "ignored".write(to: directory.appendingPathComponent("README"), atomically: true, encoding: .utf8)
        let current = try OpenSSLKeys.privateKey(.edDSA)
        try current.write(to: directory.appendingPathComponent("current.key"), atomically: true, encoding: .utf8)
        let emptyDirectory = directory.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: emptyDirectory, withIntermediateDirectories: true)

        let configuration = try GatewayConfiguration.parse(ConfigurationEnvironment(base.merging([
            "JWT_HEADER_NAME": "X-JWT", "JWT_PRIVATE_KEY_FILE": directory.appendingPathComponent("current.key").path,
            "JWT_PREVIOUS_PUBLIC_KEY_FILE": "\(directory.path),\(emptyDirectory.path)",
        ]) { _, new in new }))
        let keys = try #require(configuration.signing.keys)
        #expect(keys.previous.map(\.algorithm) == [.rs256, .es256, .edDSA])
        #expect(keys.publicKeys.count == 4)
    }

    @Test func policyFileProblemsAreListedWithTheRest() throws {
        let found = problems(
            ["PORT": "http", "POLICY_FILE": "/etc/policy.json"],
            files: ["/etc/policy.json": #"{"rules": [{"path": "nope"}, {"path": "/x", "deny": 1}]}"#])
        #expect(found.map(\.variable) == ["PORT", "POLICY_FILE", "POLICY_FILE"])
        #expect(found[1].message == "/etc/policy.json: rules[0].path: 'nope' must start with '/'")
        #expect(found[2].message == "/etc/policy.json: rules[1].deny: must be true or false")
        #expect(problems(["POLICY_FILE": "/missing.json"]).map(\.message) == ["cannot read '/missing.json'"])
        let open = problems(["POLICY_FILE": "/p.json", "ALLOW_MISSING_AUTH_HEADER": "true"], files: ["/p.json": #"{"rules": []}"#])
        #expect(open.map(\.variable) == ["ALLOW_MISSING_AUTH_HEADER"])
        let valid = try parse(["POLICY_FILE": "/p.json"], files: ["/p.json": #"{"rules": [{"path": "/a/**", "anonymous": true}]}"#])
        #expect(valid.policy.routes.rules.count == 1 && valid.policy.routes.file == "/p.json")
    }

    @Test func claimsAudienceAndClaimHeaders() throws {
        let configuration = try parse([
            "JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32), "JWT_AUDIENCE": "orders-api",
            "JWT_CLAIMS": "sub, scope,email", "CLAIM_HEADERS": "sub:X-User, email:X-Email ,groups:X-Groups",
        ])
        #expect(configuration.signing.audience == "orders-api")
        #expect(configuration.signing.claims == ["sub", "scope", "email"])
        #expect(configuration.signing.claimHeaders == [.init(claim: "sub", header: "X-User"), .init(claim: "email", header: "X-Email"), .init(claim: "groups", header: "X-Groups")])

        let found = problems([
            "JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32), "JWT_CLAIMS": " , ",
            "CLAIM_HEADERS": "sub:X-User,email,name:Bad Header,sub:x-user,scope:X-JWT,aud:Content-Length",
        ])
        #expect(found.map(\.variable) == ["JWT_CLAIMS", "CLAIM_HEADERS", "CLAIM_HEADERS", "CLAIM_HEADERS"])
        #expect(found[1].message == "'email' is not claim:Header (e.g. sub:X-User)")
        #expect(found[2].message == "'Bad Header' is not a valid HTTP header name")
        #expect(found[3].message == "header 'x-user' is mapped twice")
        let reserved = problems(["JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32), "CLAIM_HEADERS": "scope:x-jwt,aud:Content-Length"])
        #expect(reserved.count == 2 && reserved.allSatisfy { $0.message.contains("sets itself") })

        let passthrough = try parse([
            "JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32), "ALLOW_JWT_PASSTHROUGH": "true", "JWT_CLAIMS": "sub",
        ])
        #expect(passthrough.warnings.contains { $0.contains("JWT_CLAIMS leaves out scope") })
    }

    @Test func claimHeaderValuesAreSentOnlyWhenFaithful() {
        let claims = TokenClaims([
            "sub": .string("alice"), "n": .integer(42), "f": .number(1.5), "b": .bool(true), "groups": .array([.string("a"), .string("b")]),
            "spaced": .array([.string("Domain Users")]), "nested": .object(["x": .integer(1)]), "null": .null,
            "crlf": .string("x\r\nSet-Cookie: y"), "padded": .string(" admin"), "long": .string(String(repeating: "x", count: 4097)),
            "utf8": .string("Zoë"), "mixed": .array([.string("a"), .integer(2)]), "deep": .array([.array([.string("a")])]), "empty": .string(""),
        ])
        func value(_ claim: String) -> String? { ClaimHeader(claim: claim, header: "X").value(in: claims) }
        #expect(value("sub") == "alice" && value("n") == "42" && value("f") == "1.5" && value("b") == "true")
        #expect(value("groups") == "a b" && value("mixed") == "a 2" && value("utf8") == "Zoë")
        for leftOut in ["spaced", "nested", "null", "crlf", "padded", "long", "deep", "empty", "absent"] {
            #expect(value(leftOut) == nil, "\(leftOut)")
        }
    }

    @Test func theNewVariablesAreDocumented() {
        let documented = Set(ConfigurationVariable.all.map(\.name))
        for name in ["POLICY_FILE", "JWT_PRIVATE_KEY", "JWT_PREVIOUS_PUBLIC_KEY_FILE", "JWT_AUDIENCE", "JWT_CLAIMS", "CLAIM_HEADERS"] {
            #expect(documented.contains(name), "\(name) is missing from --help")
        }
        #expect(ConfigurationVariable.all.first { $0.name == "JWT_PRIVATE_KEY" }?.acceptsFile == true, "JWT_PRIVATE_KEY_FILE")
    }
}
