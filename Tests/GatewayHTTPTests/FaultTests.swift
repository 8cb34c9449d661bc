import AsyncHTTPClient
import DevIdentityProvider
import Foundation
import Hummingbird
import HummingbirdTLS
import InMemoryLogging
import Logging
import NIOHTTP1
import NIOSSL
import ServiceLifecycle
import Synchronization
import Testing

/// Identity provider faults with exact answers: each gets a 503 (never a 401 or a 200), is
/// counted under its own outcome in `gateway_introspection_requests_total`, is logged without
/// the token, and the gateway recovers once the provider does. (`providerFailuresGet503NeverA401`
/// covers the status of many more modes; this adds the outcome, the log and recovery.)
@Suite struct FaultTests {
    static func outcome(_ name: String) -> String { #"gateway_introspection_requests_total{outcome="\#(name)"}"# }

    @Test func slowBodyBeyondTheTimeoutGets503AndCountsATimeout() async throws {
        // Headers at once, then the answer (about 150 bytes) 4 bytes every 200 ms: some 7 s,
        // far beyond a 2 s INTROSPECTION_TIMEOUT even on a busy machine.
        try await LiveStack.run(["INTROSPECTION_TIMEOUT": "2s"]) { stack in
            let token = stack.provider.issueToken(clientID: "app", subject: "slow")
            stack.provider.failureMode = .slowBody(interval: .milliseconds(200))
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 503)
            #expect(answer.headers.first(name: "X-JWT") == nil && answer.headers.first(name: "WWW-Authenticate") == nil)
            #expect(try await stack.metric(Self.outcome("timeout")) == 1)
            #expect(try await stack.metric(#"gateway_decisions_total{result="unavailable"}"#) == 1)
            #expect(stack.logText.contains("did not answer in time"))
            #expect(!stack.logText.contains(token), "the token must never be logged")

            // Recovery (a busy machine may need a second try within the short timeout).
            stack.provider.failureMode = .normal
            var recovered = try await stack.auth(bearer: token)
            for _ in 0..<2 where recovered.status == 503 { recovered = try await stack.auth(bearer: token) }
            #expect(recovered.status == 200 && recovered.headers.first(name: "X-Auth-Subject") == "slow")
            #expect(try await stack.metric(Self.outcome("active")) == 1)
        }
    }

    @Test func rateLimitedProviderGets503AndIsLoggedAsRateLimited() async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app", subject: "limited")
            stack.provider.failureMode = .status(429, retryAfter: "7")
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 503)
            #expect(answer.headers.first(name: "WWW-Authenticate") == nil)
            #expect(stack.provider.introspectionCount == 1, "a 429 is not retried")
            #expect(try await stack.metric(Self.outcome("rate_limited")) == 1)
            let logged = stack.logs.entries.first { $0.message.description.contains("rate limiting") }
            #expect(logged?.level == .warning)
            #expect(logged?.message.description.contains("Retry-After: 7") == true)
            #expect(!stack.logText.contains(token), "the token must never be logged")

            stack.provider.failureMode = .normal
            #expect(try await stack.auth(bearer: token).status == 200)
            #expect(try await stack.metric(Self.outcome("rate_limited")) == 1)
        }
    }

    @Test(arguments: [401, 403])
    func rejectedClientCredentialsGet503AndAreCountedAsSuch(status: Int) async throws {
        try await LiveStack.run { stack in
            let token = stack.provider.issueToken(clientID: "app", subject: "rejected")
            stack.provider.failureMode = .status(status)
            let answer = try await stack.auth(bearer: token)
            #expect(answer.status == 503, "a \(status) to our client credentials is no answer about the token")
            #expect(answer.headers.first(name: "WWW-Authenticate") == nil)
            #expect(stack.provider.introspectionCount == 1, "a \(status) is not retried")
            #expect(try await stack.metric(Self.outcome("credentials_rejected")) == 1)
            let logged = stack.logs.entries.first { $0.message.description.contains("rejected the gateway's client credentials") }
            #expect(logged?.level == .error)
            #expect(logged?.message.description.contains("HTTP \(status)") == true)
            #expect(!stack.logText.contains(token) && !stack.logText.contains(LiveStack.clientSecret))

            stack.provider.failureMode = .normal
            #expect(try await stack.auth(bearer: token).status == 200)
        }
    }

    @Test func providerWithAnUntrustedCertificateGets503CountedAsTLS() async throws {
        let files = try SelfSignedCertificate.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        try await TLSIdentityProvider.run(certificate: files.certificate, key: files.key) { provider in
            try await LiveStack.run(introspectionURL: provider.url) { stack in
                let token = "token-for-an-untrusted-provider"
                let answer = try await stack.auth(bearer: token)
                #expect(answer.status == 503)
                #expect(try await stack.metric(Self.outcome("tls")) == 1)
                #expect(stack.logText.contains("TLS with the identity provider failed"))
                #expect(!stack.logText.contains(token), "the token must never be logged")
                #expect(provider.introspections == 0, "no request may cross a connection that did not verify")
            }
        }
    }

    @Test func caFileMakesTheSameProviderTrusted() async throws {
        let files = try SelfSignedCertificate.make()
        defer { try? FileManager.default.removeItem(atPath: files.directory) }
        try await TLSIdentityProvider.run(certificate: files.certificate, key: files.key) { provider in
            try await LiveStack.run(["SSO_CA_FILE": files.certificate], introspectionURL: provider.url) { stack in
                let answer = try await stack.auth(bearer: "token-for-a-trusted-provider")
                #expect(answer.status == 200)
                #expect(answer.headers.first(name: "X-Auth-Subject") == TLSIdentityProvider.subject)
                #expect(try await stack.metric(Self.outcome("tls")) == 0)
                #expect(try await stack.metric(Self.outcome("active")) == 1)
                #expect(provider.introspections == 1)
            }
        }
    }
}

/// A self-signed certificate for 127.0.0.1, made with `openssl` in a new temporary directory.
struct SelfSignedCertificate {
    let directory: String
    let certificate: String
    let key: String

    static func make() throws -> SelfSignedCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-tls-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let files = SelfSignedCertificate(directory: directory, certificate: directory + "/cert.pem", key: directory + "/key.pem")
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        openssl.arguments = [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", files.key, "-out", files.certificate,
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        guard openssl.terminationStatus == 0 else { throw CertificateError.opensslFailed(openssl.terminationStatus) }
        return files
    }

    enum CertificateError: Error { case opensslFailed(Int32) }
}

/// An RFC 7662 endpoint over TLS that calls every token active (its subject `tls-user`) and
/// counts the requests that reached it.
struct TLSIdentityProvider {
    static let subject = "tls-user"
    let port: Int
    private let counter: Counter

    var url: String { "https://127.0.0.1:\(port)/introspect" }
    var introspections: Int { counter.value }

    final class Counter: Sendable {
        private let count = Mutex(0)
        var value: Int { count.withLock { $0 } }
        func increment() { count.withLock { $0 += 1 } }
    }

    static func run(certificate: String, key: String, _ body: (TLSIdentityProvider) async throws -> Void) async throws {
        let counter = Counter()
        let router = Router()
        router.post("introspect") { _, _ -> Response in
            counter.increment()
            let json = #"{"active":true,"sub":"\#(subject)","scope":"read","client_id":"app"}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
        try await LoopbackApplication.run(label: "tls-idp", { onServerRunning in
            Application(
                router: router, server: try .tls(.http1(), tlsConfiguration: tls),
                configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: onServerRunning, logger: LoopbackApplication.quietLogger("tls-idp"))
        }) { port in
            try await body(TLSIdentityProvider(port: port, counter: counter))
        }
    }
}
