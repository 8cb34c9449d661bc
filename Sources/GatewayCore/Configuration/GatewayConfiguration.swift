import Foundation
import Logging

/// The gateway's whole configuration: a plain value, parsed once at start-up.
public struct GatewayConfiguration: Sendable {
    /// Where and how tokens are introspected.
    public struct IdentityProvider: Sendable {
        public var introspectionURL: URL
        public var clientID: String
        public var clientSecret: Secret
        public var clientAuthentication: ClientAuthentication
        /// `SSL_SECURE`: verify the provider's certificate.
        public var verifiesCertificates: Bool
        /// `SSO_CA_FILE`: extra trusted roots (PEM).
        public var caFile: String?
        public var timeout: Duration
    }

    /// The cache-invalidation API: on its own loopback port, or on the main port behind a token.
    public struct Admin: Sendable {
        /// `ADMIN_PORT`; nil: no separate admin listener.
        public var port: Int?
        public var host: String
        /// `ADMIN_TOKEN`: required as a bearer token when set (and always on the main port).
        public var token: Secret?

        /// Whether the admin API is served at all.
        public var isEnabled: Bool { port != nil || token != nil }
    }

    public var identityProvider: IdentityProvider
    public var signing: Signing
    public var cache: CacheSettings
    public var policy: AccessPolicy
    /// Consecutive provider failures that open the circuit breaker; 0 disables it.
    public var circuitBreakerFailures: Int
    /// First back-off of an open circuit (doubles on each failed trial, up to 30 s).
    public var circuitBreakerCooldown: Duration
    public var admin: Admin
    public var host: String
    public var port: Int
    public var realm: String
    public var clockSkew: Duration
    /// Answer `/auth` requests that need no waiting (cache hits) on the event loop.
    public var usesFastPath: Bool
    /// Event-loop threads of the HTTP listeners; nil: one per core.
    public var eventLoopThreads: Int?
    /// Open connections each listener (main, proxy) accepts at once; more wait in the kernel's backlog.
    public var maximumConnections: Int
    /// Keep-alive connections with no request for this long are closed (both listeners).
    public var idleTimeout: Duration
    /// Longest a client may take to send a request head, on the main and the proxy listener.
    public var requestHeaderTimeout: Duration
    public var allowsJWTPassthrough: Bool
    public var allowsMissingAuthorization: Bool
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    /// The Destination proxy listener (`PROXY_PORT`); nil: off.
    public var proxy: ProxySettings?
    /// Things that are allowed but worth a warning at start-up (no secrets in them).
    public var warnings: [String]

    /// Parses and validates the configuration, reporting every problem at once.
    public static func parse(_ environment: ConfigurationEnvironment) throws(ConfigurationError) -> GatewayConfiguration {
        var reader = ConfigurationReader(environment)
        var warnings: [String] = []

        let url = parseIntrospectionURL(&reader, warnings: &warnings)
        let clientID = reader.fileBacked("SSO_CLIENT_ID", required: true)
        let clientSecret = reader.fileBacked("SSO_CLIENT_SECRET", required: true)
        let clientAuthentication = reader.choice(
            "SSO_CLIENT_AUTH", default: ClientAuthentication.clientSecretBasic,
            ["client_secret_basic": .clientSecretBasic, "client_secret_post": .clientSecretPost])
        let verifiesCertificates = reader.boolean("SSL_SECURE", default: true)
        if !verifiesCertificates {
            warnings.append("SSL_SECURE=false: the identity provider's TLS certificate is not verified; use this for development only")
        }
        let caFile = reader.string("SSO_CA_FILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            reader.problem("SSO_CA_FILE", "cannot read '\(caFile)'")
        }
        let timeout = reader.duration("INTROSPECTION_TIMEOUT", default: .seconds(2), minimum: .milliseconds(10))
        let clockSkew = reader.duration("CLOCK_SKEW", default: .seconds(30))

        let host = reader.string("HOST") ?? "0.0.0.0"
        let port = reader.port("PORT", default: 8080)
        let realm = reader.string("AUTH_REALM") ?? "introspection-gateway"
        if realm.contains(where: { $0 == "\"" || $0 == "\\" || !$0.isASCII || $0.asciiValue! < 0x20 }) {
            reader.problem("AUTH_REALM", "must be printable ASCII without quotes or backslashes")
        }

        let signing = parseSigning(&reader, warnings: &warnings)
        let cache = parseCache(&reader)
        if let scopes = reader.string("REQUIRED_SCOPES"), scopes.contains(where: { $0 == "\"" || $0 == "\\" || !$0.isASCII }) {
            reader.problem("REQUIRED_SCOPES", "scopes are ASCII without quotes or backslashes (RFC 6749 §3.3)")
        }
        let policy = AccessPolicy(
            requiredScopes: reader.string("REQUIRED_SCOPES").map(AccessPolicy.scopes(from:)) ?? [],
            audience: reader.string("REQUIRED_AUDIENCE"), issuer: reader.string("REQUIRED_ISSUER"), routes: parseRoutePolicy(&reader))
        let circuitBreakerFailures = reader.integer("CIRCUIT_BREAKER_FAILURES", default: 5, range: 0...1_000_000)
        let circuitBreakerCooldown = reader.duration("CIRCUIT_BREAKER_COOLDOWN", default: .seconds(1), minimum: .milliseconds(10))
        let admin = parseAdmin(&reader)
        let allowsJWTPassthrough = reader.boolean("ALLOW_JWT_PASSTHROUGH", default: false)
        if allowsJWTPassthrough, signing.headerName == nil {
            reader.problem("ALLOW_JWT_PASSTHROUGH", "needs JWT_HEADER_NAME (the header whose JWT is verified)")
        }
        let allowsMissingAuthorization = reader.boolean("ALLOW_MISSING_AUTH_HEADER", default: false)
        let usesFastPath = reader.boolean("AUTH_FAST_PATH", default: true)
        let eventLoopThreads: Int? = reader.string("EVENT_LOOP_THREADS") == nil ? nil : reader.integer("EVENT_LOOP_THREADS", default: 1, range: 1...256)
        let maximumConnections = reader.integer("MAX_CONNECTIONS", default: 10_000, range: 1...1_000_000)
        let idleTimeout = reader.duration("IDLE_TIMEOUT", default: .seconds(120), minimum: .milliseconds(100))
        let requestHeaderTimeout = reader.duration("REQUEST_HEADER_TIMEOUT", default: .seconds(10), minimum: .milliseconds(100))
        if allowsMissingAuthorization {
            warnings.append("ALLOW_MISSING_AUTH_HEADER=true: requests without an Authorization header are let through anonymously")
        }
        let logLevel = reader.choice(
            "LOG_LEVEL", default: Logger.Level.info,
            ["trace": .trace, "debug": .debug, "info": .info, "notice": .notice, "warn": .warning,
             "warning": .warning, "error": .error, "critical": .critical])
        let logFormat = reader.choice("LOG_FORMAT", default: LogFormat.text, ["text": .text, "json": .json])
        let proxy = ProxySettings.parse(
            &reader, verifiesCertificates: verifiesCertificates, mainPort: port, adminPort: admin.port, jwtHeader: signing.headerName,
            warnings: &warnings)

        guard reader.problems.isEmpty, let url, let clientID, let clientSecret else {
            throw ConfigurationError(problems: reader.problems)
        }
        return GatewayConfiguration(
            identityProvider: IdentityProvider(
                introspectionURL: url, clientID: clientID, clientSecret: Secret(clientSecret),
                clientAuthentication: clientAuthentication, verifiesCertificates: verifiesCertificates,
                caFile: caFile, timeout: timeout),
            signing: signing, cache: cache, policy: policy, circuitBreakerFailures: circuitBreakerFailures,
            circuitBreakerCooldown: circuitBreakerCooldown, admin: admin, host: host, port: port, realm: realm, clockSkew: clockSkew,
            usesFastPath: usesFastPath, eventLoopThreads: eventLoopThreads, maximumConnections: maximumConnections, idleTimeout: idleTimeout,
            requestHeaderTimeout: requestHeaderTimeout,
            allowsJWTPassthrough: allowsJWTPassthrough, allowsMissingAuthorization: allowsMissingAuthorization,
            logLevel: logLevel, logFormat: logFormat, proxy: proxy, warnings: warnings)
    }

    private static func parseIntrospectionURL(_ reader: inout ConfigurationReader, warnings: inout [String]) -> URL? {
        guard let text = reader.fileBacked("SSO_INTROSPECTION", required: true) else { return nil }
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = components.host, !host.isEmpty,
              let url = components.url
        else {
            // A value with "@" may carry credentials: not echoed.
            let shown = text.contains("@") ? "the value" : "'\(text)'"
            reader.problem("SSO_INTROSPECTION", "\(shown) is not an http or https URL with a host")
            return nil
        }
        if components.user != nil || components.password != nil {
            reader.problem("SSO_INTROSPECTION", "must not carry credentials in the URL; use SSO_CLIENT_ID and SSO_CLIENT_SECRET")
            return nil
        }
        if scheme == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(host) {
            warnings.append("SSO_INTROSPECTION uses plain http to \(host): tokens and the client secret cross the network unencrypted")
        }
        return url
    }

    private static func parseCache(_ reader: inout ConfigurationReader) -> CacheSettings {
        let maximumEntries = reader.integer("CACHE_MAX_ENTRIES", default: 100_000, range: 1...50_000_000)
        return CacheSettings(
            ttl: reader.duration("CACHE_TTL", default: .seconds(60)),
            maximumEntries: maximumEntries,
            negativeTTL: reader.duration("NEGATIVE_CACHE_TTL", default: .seconds(5)),
            maximumNegativeEntries: reader.integer("NEGATIVE_CACHE_MAX_ENTRIES", default: max(1_000, maximumEntries / 10), range: 1...50_000_000),
            staleIfError: reader.duration("STALE_IF_ERROR", default: .zero))
    }

    private static func parseAdmin(_ reader: inout ConfigurationReader) -> Admin {
        let port: Int? = reader.string("ADMIN_PORT") == nil ? nil : reader.port("ADMIN_PORT", default: 0)
        let host = reader.string("ADMIN_HOST") ?? "127.0.0.1"
        let token = reader.fileBacked("ADMIN_TOKEN", required: false).map(Secret.init)
        if let token, token.byteCount < 16 {
            reader.problem("ADMIN_TOKEN", "is \(token.byteCount) bytes long; use at least 16 random bytes")
        }
        if port != nil, token == nil, !["127.0.0.1", "::1", "localhost"].contains(host) {
            reader.problem("ADMIN_HOST", "'\(host)' is not loopback; set ADMIN_TOKEN to expose the admin API beyond this machine")
        }
        return Admin(port: port, host: host, token: token)
    }
}
