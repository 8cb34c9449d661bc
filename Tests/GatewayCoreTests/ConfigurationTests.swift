import Foundation
import Logging
import Testing

@testable import GatewayCore

@Suite struct ConfigurationTests {
    static let minimal = [
        "SSO_INTROSPECTION": "https://idp.example.com/oauth2/introspect",
        "SSO_CLIENT_ID": "gateway",
        "SSO_CLIENT_SECRET": "client-secret-value",
    ]

    func parse(_ variables: [String: String], files: [String: String] = [:]) throws(ConfigurationError) -> GatewayConfiguration {
        try ConfigurationParsing.parse(variables, files: files)
    }

    func problems(_ variables: [String: String], files: [String: String] = [:]) -> [ConfigurationProblem] {
        ConfigurationParsing.problems(variables, files: files)
    }

    @Test func defaultsMatchTheOriginalProjectAndAreSafe() throws {
        let configuration = try parse(Self.minimal)
        #expect(configuration.port == 8080)
        #expect(configuration.host == "0.0.0.0")
        #expect(configuration.identityProvider.verifiesCertificates)
        #expect(configuration.identityProvider.clientAuthentication == .clientSecretBasic)
        #expect(configuration.identityProvider.timeout == .seconds(2))
        #expect(configuration.signing.headerName == nil)
        #expect(configuration.signing.secret == nil)
        #expect(configuration.signing.ttl == .seconds(300))
        #expect(!configuration.allowsJWTPassthrough)
        #expect(!configuration.allowsMissingAuthorization)
        #expect(configuration.logLevel == .info)
        #expect(configuration.logFormat == .text)
        #expect(configuration.warnings.isEmpty)
    }

    @Test func everyMissingRequiredVariableIsNamedAtOnce() {
        let found = problems([:])
        #expect(found.map(\.variable) == ["SSO_INTROSPECTION", "SSO_CLIENT_ID", "SSO_CLIENT_SECRET"])
        #expect(found.allSatisfy { $0.message.contains("required") })
    }

    @Test func everyInvalidValueIsReportedTogether() {
        var variables = Self.minimal
        variables["PORT"] = "99999"
        variables["SSL_SECURE"] = "maybe"
        variables["INTROSPECTION_TIMEOUT"] = "soon"
        variables["SSO_CLIENT_AUTH"] = "private_key_jwt"
        variables["LOG_LEVEL"] = "loud"
        variables["LOG_FORMAT"] = "xml"
        variables["JWT_HEADER_NAME"] = "X JWT"
        variables["JWT_TTL"] = "0"
        variables["ALLOW_MISSING_AUTH_HEADER"] = "sure"
        let found = problems(variables)
        #expect(Set(found.map(\.variable)) == [
            "PORT", "SSL_SECURE", "INTROSPECTION_TIMEOUT", "SSO_CLIENT_AUTH", "LOG_LEVEL", "LOG_FORMAT",
            "JWT_HEADER_NAME", "JWT_SECRET", "JWT_TTL", "ALLOW_MISSING_AUTH_HEADER",
        ])
        #expect(found.first { $0.variable == "PORT" }?.message.contains("99999") == true)
    }

    @Test(arguments: ["ftp://idp/introspect", "not a url", "https://", "https://user:pw@idp.example.com/introspect"])
    func introspectionURLMustBeHTTPWithAHostAndNoCredentials(_ url: String) {
        var variables = Self.minimal
        variables["SSO_INTROSPECTION"] = url
        #expect(problems(variables).map(\.variable) == ["SSO_INTROSPECTION"])
    }

    @Test func anUnparseableURLWithCredentialsIsNotEchoed() {
        var variables = Self.minimal
        variables["SSO_INTROSPECTION"] = "https://user:pass word@idp example/introspect"
        let found = problems(variables)
        #expect(found.map(\.variable) == ["SSO_INTROSPECTION"])
        #expect(!found[0].message.contains("pass word"))
    }

    @Test func thereIsNoDefaultJWTSecret() {
        var variables = Self.minimal
        variables["JWT_HEADER_NAME"] = "X-JWT"
        let found = problems(variables)
        #expect(found.map(\.variable) == ["JWT_SECRET"])
    }

    @Test func shortJWTSecretIsRejectedWithoutShowingIt() {
        var variables = Self.minimal
        variables["JWT_HEADER_NAME"] = "X-JWT"
        variables["JWT_SECRET"] = "secret"
        let found = problems(variables)
        #expect(found.map(\.variable) == ["JWT_SECRET"])
        #expect(found[0].message.contains("6 bytes"))
        #expect(!found[0].message.contains("\"secret\"") && !found[0].message.contains("'secret'"))
    }

    @Test func passthroughNeedsAHeaderName() {
        var variables = Self.minimal
        variables["ALLOW_JWT_PASSTHROUGH"] = "true"
        #expect(problems(variables).map(\.variable) == ["ALLOW_JWT_PASSTHROUGH"])
    }

    @Test(arguments: [("true", true), ("1", true), ("YES", true), ("no", false), ("0", false), ("False", false)])
    func booleansAcceptTheUsualSpellings(_ text: String, _ expected: Bool) throws {
        var variables = Self.minimal
        variables["SSL_SECURE"] = text
        #expect(try parse(variables).identityProvider.verifiesCertificates == expected)
    }

    @Test(arguments: [("500ms", 0.5), ("2s", 2.0), ("5m", 300.0), ("1h", 3600.0), ("30", 30.0), ("1.5", 1.5)])
    func durationsAcceptUnitsAndPlainSeconds(_ text: String, _ seconds: Double) {
        #expect(ConfigurationValue.duration(text)?.seconds == seconds)
    }

    @Test(arguments: ["", "s", "-1s", "2 s", "2d", "1e3", "abc"])
    func malformedDurationsAreRejected(_ text: String) {
        #expect(ConfigurationValue.duration(text) == nil)
    }

    @Test func requestHeaderTimeoutDefaultsToTenSecondsAndMustBePositive() throws {
        #expect(try parse(Self.minimal).requestHeaderTimeout == .seconds(10))
        #expect(try parse(Self.minimal.merging(["REQUEST_HEADER_TIMEOUT": "2500ms"]) { _, new in new }).requestHeaderTimeout == .milliseconds(2500))
        for text in ["0", "0s", "soon", "-1s"] {
            let found = problems(Self.minimal.merging(["REQUEST_HEADER_TIMEOUT": text]) { _, new in new })
            #expect(found.map(\.variable) == ["REQUEST_HEADER_TIMEOUT"], "\(text)")
        }
    }

    @Test func secretsCanComeFromFiles() throws {
        var variables = Self.minimal
        variables["SSO_CLIENT_SECRET"] = nil
        variables["SSO_CLIENT_SECRET_FILE"] = "/run/secrets/client"
        variables["JWT_HEADER_NAME"] = "X-JWT"
        variables["JWT_SECRET_FILE"] = "/run/secrets/jwt"
        let configuration = try parse(variables, files: [
            "/run/secrets/client": "from-file\n",
            "/run/secrets/jwt": String(repeating: "k", count: 40) + "\n",
        ])
        #expect(configuration.identityProvider.clientSecret.reveal() == "from-file")
        #expect(configuration.signing.secret?.byteCount == 40)
    }

    @Test func aSecretFileWithAWindowsLineEndLosesIt() throws {
        var variables = Self.minimal
        variables["SSO_CLIENT_SECRET"] = nil
        variables["SSO_CLIENT_SECRET_FILE"] = "/run/secrets/client"
        let configuration = try parse(variables, files: ["/run/secrets/client": "from-windows\r\n"])
        #expect(configuration.identityProvider.clientSecret.reveal() == "from-windows")
    }

    @Test func settingAValueAndItsFileIsAProblemAndAnUnreadableFileIsNamed() {
        var variables = Self.minimal
        variables["SSO_CLIENT_ID_FILE"] = "/run/secrets/id"
        variables["SSO_CLIENT_SECRET"] = nil
        variables["SSO_CLIENT_SECRET_FILE"] = "/missing"
        let found = problems(variables, files: ["/run/secrets/id": "x"])
        #expect(found.map(\.variable) == ["SSO_CLIENT_ID", "SSO_CLIENT_SECRET_FILE"])
        #expect(found[1].message.contains("/missing"))
    }

    @Test func problemsAndWarningsNeverContainSecrets() {
        let secretValue = "super-secret-client-value"
        var variables = Self.minimal
        variables["SSO_CLIENT_SECRET"] = secretValue
        variables["JWT_SECRET"] = "short-jwt-secret-value"
        variables["JWT_HEADER_NAME"] = "X-JWT"
        variables["PORT"] = "x"
        variables["SSL_SECURE"] = "false"
        let found = problems(variables)
        let text = ConfigurationError(problems: found).description
        #expect(!text.contains(secretValue) && !text.contains("short-jwt-secret-value"))
        #expect("\(Secret(secretValue))" == "<redacted>")
        #expect(String(reflecting: Secret(secretValue)) == "Secret(<redacted>)")
    }

    @Test func dotEnvIsReadAndRealEnvironmentVariablesWin() throws {
        let dotEnv = """
        # the original project's variables
        SSO_INTROSPECTION=https://idp.example.com/introspect
        SSO_CLIENT_ID=from-dotenv
        export SSO_CLIENT_SECRET="quoted \\"secret\\""
        PORT=9090 # inline comment
        """
        let environment = ConfigurationEnvironment.load(
            processEnvironment: ["SSO_CLIENT_ID": "from-environment"], workingDirectory: "/app",
            readFile: ConfigurationParsing.reader(["/app/.env": dotEnv]))
        let configuration = try GatewayConfiguration.parse(environment)
        #expect(configuration.identityProvider.clientID == "from-environment")
        #expect(configuration.identityProvider.clientSecret.reveal() == "quoted \"secret\"")
        #expect(configuration.port == 9090)
        #expect(environment.dotEnvPath == "/app/.env")
    }

    @Test func envFileVariableNamesTheFileAndMustExist() {
        let environment = ConfigurationEnvironment.load(
            processEnvironment: Self.minimal.merging(["ENV_FILE": "/etc/gateway.env"]) { a, _ in a }, workingDirectory: "/app",
            readFile: ConfigurationParsing.reader([:]))
        #expect(environment.problems.map(\.variable) == ["ENV_FILE"])
    }

    @Test func warningsForInsecureButAllowedSettings() throws {
        var variables = Self.minimal
        variables["SSL_SECURE"] = "false"
        variables["ALLOW_MISSING_AUTH_HEADER"] = "yes"
        variables["SSO_INTROSPECTION"] = "http://idp.internal/introspect"
        let warnings = try parse(variables).warnings.joined(separator: "\n")
        #expect(warnings.contains("SSL_SECURE=false"))
        #expect(warnings.contains("ALLOW_MISSING_AUTH_HEADER=true"))
        #expect(warnings.contains("plain http"))
    }

    @Test func helpListsEveryVariableItReads() {
        let documented = Set(ConfigurationVariable.all.map(\.name))
        for name in ["SSO_INTROSPECTION", "SSO_CLIENT_ID", "SSO_CLIENT_SECRET", "PORT", "SSL_SECURE", "JWT_HEADER_NAME",
                     "ALLOW_JWT_PASSTHROUGH", "JWT_SECRET", "ALLOW_MISSING_AUTH_HEADER", "LOG_LEVEL", "HOST", "SSO_CLIENT_AUTH",
                     "SSO_CA_FILE", "INTROSPECTION_TIMEOUT", "JWT_TTL", "JWT_ISSUER", "LOG_FORMAT", "ENV_FILE"] {
            #expect(documented.contains(name), "\(name) is missing from --help")
        }
    }
}
