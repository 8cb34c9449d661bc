import AsyncHTTPClient
import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import GatewayCore

/// `PROXY_PORT` and the variables that go with it.
@Suite struct ProxyConfigurationTests {
    static let minimal = [
        "SSO_INTROSPECTION": "https://idp.example.com/oauth2/introspect",
        "SSO_CLIENT_ID": "gateway",
        "SSO_CLIENT_SECRET": "client-secret-value",
    ]

    func parse(_ variables: [String: String]) throws(ConfigurationError) -> GatewayConfiguration {
        try GatewayConfiguration.parse(ConfigurationEnvironment(Self.minimal.merging(variables) { _, new in new }))
    }

    func problems(_ variables: [String: String]) -> [ConfigurationProblem] {
        do {
            _ = try parse(variables)
            Issue.record("expected the configuration to be rejected")
            return []
        } catch {
            return error.problems
        }
    }

    @Test func theProxyIsOffByDefault() throws {
        #expect(try parse([:]).proxy == nil)
    }

    @Test func proxyPortTurnsItOnWithDefaults() throws {
        let proxy = try #require(try parse(["PROXY_PORT": "8081", "DESTINATION_ALLOWLIST": "https://api.example.com"]).proxy)
        #expect(proxy.port == 8081)
        #expect(proxy.allowlist.description == "https://api.example.com")
        #expect(proxy.destinationHeader == "Destination")
        #expect(!proxy.forwardsAuthorization)
        #expect(proxy.verifiesCertificates)
        #expect(proxy.caFile == nil)
        #expect(proxy.timeout == .seconds(60))
    }

    @Test func everySettingIsRead() throws {
        let configuration = try parse([
            "PROXY_PORT": "9000", "DESTINATION_ALLOWLIST": "https://a.example.com, http://*.svc.example.com:8080",
            "DESTINATION_HEADER": "X-Destination", "FORWARD_AUTHORIZATION": "true", "SSL_SECURE": "false", "PROXY_TIMEOUT": "250ms",
        ])
        let proxy = try #require(configuration.proxy)
        #expect(proxy.allowlist.entries.count == 2)
        #expect(proxy.destinationHeader == "X-Destination")
        #expect(proxy.forwardsAuthorization)
        #expect(!proxy.verifiesCertificates, "SSL_SECURE governs destinations too")
        #expect(proxy.timeout == .milliseconds(250))
        #expect(configuration.warnings.contains { $0.contains("destinations' TLS certificates") })
    }

    @Test func proxyPortWithoutAnAllowlistIsAProblem() {
        let found = problems(["PROXY_PORT": "8081"])
        #expect(found.map(\.variable) == ["DESTINATION_ALLOWLIST"])
        #expect(found.first?.message.contains("required when PROXY_PORT is set") == true)
    }

    @Test func proxyProblemsAreReportedWithTheOthers() {
        let found = problems([
            "PORT": "99999", "PROXY_PORT": "http", "DESTINATION_ALLOWLIST": "ftp://x.example.com,https://ok.example.com,https://u@y.example.com",
            "DESTINATION_HEADER": "Bad Header", "FORWARD_AUTHORIZATION": "maybe", "PROXY_TIMEOUT": "soon", "PROXY_CA_FILE": "/nonexistent/ca.pem",
        ])
        #expect(found.map(\.variable).sorted() == [
            "DESTINATION_ALLOWLIST", "DESTINATION_ALLOWLIST", "DESTINATION_HEADER", "FORWARD_AUTHORIZATION", "PORT", "PROXY_CA_FILE",
            "PROXY_PORT", "PROXY_TIMEOUT",
        ])
        let allowlist = found.filter { $0.variable == "DESTINATION_ALLOWLIST" }.map(\.message)
        #expect(allowlist.contains { $0.hasPrefix("'ftp://x.example.com'") && $0.contains("http or https") })
        #expect(allowlist.contains { $0.hasPrefix("'https://u@y.example.com'") && $0.contains("userinfo") })
    }

    @Test func theProxyNeedsAPortOfItsOwn() {
        #expect(problems(["PORT": "8080", "PROXY_PORT": "8080", "DESTINATION_ALLOWLIST": "https://a.example.com"]).map(\.variable) == ["PROXY_PORT"])
        #expect(problems([
            "ADMIN_PORT": "9090", "PROXY_PORT": "9090", "DESTINATION_ALLOWLIST": "https://a.example.com",
        ]).map(\.variable) == ["PROXY_PORT"])
    }

    @Test func theDestinationHeaderCannotBeOneWithAMeaning() {
        for name in ["Authorization", "host", "X-JWT"] {
            let found = problems([
                "PROXY_PORT": "8081", "DESTINATION_ALLOWLIST": "https://a.example.com", "DESTINATION_HEADER": name,
                "JWT_HEADER_NAME": "X-JWT", "JWT_SECRET": String(repeating: "s", count: 32),
            ])
            #expect(found.map(\.variable) == ["DESTINATION_HEADER"], "\(name)")
        }
    }

    @Test func anAllowlistWithoutAProxyPortIsAWarningNotAnError() throws {
        let configuration = try parse(["DESTINATION_ALLOWLIST": "https://a.example.com"])
        #expect(configuration.proxy == nil)
        #expect(configuration.warnings.contains { $0.contains("PROXY_PORT is not") })
        #expect(problems(["DESTINATION_ALLOWLIST": "gopher://a.example.com"]).map(\.variable) == ["DESTINATION_ALLOWLIST"])
    }

    @Test func forwardingTokensOverPlainHTTPIsWarnedAbout() throws {
        let configuration = try parse([
            "PROXY_PORT": "8081", "DESTINATION_ALLOWLIST": "http://10.0.0.5:8080", "FORWARD_AUTHORIZATION": "true",
        ])
        #expect(configuration.warnings.contains { $0.contains("FORWARD_AUTHORIZATION=true") })
    }

    @Test func helpListsEveryProxyVariable() {
        let documented = Set(ConfigurationVariable.all.map(\.name))
        for name in ["PROXY_PORT", "DESTINATION_ALLOWLIST", "DESTINATION_HEADER", "FORWARD_AUTHORIZATION", "PROXY_CA_FILE", "PROXY_TIMEOUT"] {
            #expect(documented.contains(name), "\(name) is missing from --help")
        }
    }

    @Test func theDestinationClientIsBoundedAndFailsFast() throws {
        let proxy = try #require(try parse([
            "PROXY_PORT": "8081", "DESTINATION_ALLOWLIST": "https://a.example.com", "PROXY_TIMEOUT": "1500ms", "SSL_SECURE": "false",
        ]).proxy)
        let configuration = try proxy.httpClientConfiguration()
        #expect(configuration.timeout.connect == .milliseconds(1500))
        #expect(configuration.timeout.read == .milliseconds(1500))
        #expect(configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit == ProxySettings.connectionsPerDestination)
        #expect(!configuration.connectionPool.retryConnectionEstablishment)
        #expect(configuration.tlsConfiguration?.certificateVerification == CertificateVerification.none)
        let client = try proxy.makeHTTPClient()
        try client.syncShutdown()
    }
}
