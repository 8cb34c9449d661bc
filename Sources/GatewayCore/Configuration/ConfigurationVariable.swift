/// One environment variable the gateway reads: the single source for `--help` and the README table.
public struct ConfigurationVariable: Sendable {
    public let name: String
    /// The default as a person reads it ("8080", "required", "unset").
    public let defaultValue: String
    public let summary: String
    /// Whether a `NAME_FILE` variant reads the value from a file.
    public let acceptsFile: Bool

    init(_ name: String, _ defaultValue: String, _ summary: String, acceptsFile: Bool = false) {
        self.name = name
        self.defaultValue = defaultValue
        self.summary = summary
        self.acceptsFile = acceptsFile
    }
}

extension ConfigurationVariable {
    /// Every variable, in the order `--help` lists them.
    public static let all: [ConfigurationVariable] = [
        .init("SSO_INTROSPECTION", "required", "RFC 7662 introspection endpoint of the identity provider (http or https URL).", acceptsFile: true),
        .init("SSO_CLIENT_ID", "required", "Client id the gateway authenticates with at the introspection endpoint.", acceptsFile: true),
        .init("SSO_CLIENT_SECRET", "required", "Client secret for that client.", acceptsFile: true),
        .init("SSO_CLIENT_AUTH", "client_secret_basic", "How the client authenticates: client_secret_basic or client_secret_post."),
        .init("SSO_CA_FILE", "unset", "PEM file with extra CA certificates trusted for the identity provider."),
        .init("SSL_SECURE", "true", "Verify the TLS certificates of the identity provider and of proxy destinations. false is for development only."),
        .init("INTROSPECTION_TIMEOUT", "2s", "Upper bound of one introspection (connect, request and answer)."),
        .init("CLOCK_SKEW", "30s", "Tolerance for a token's nbf lying in the future (clocks differ). exp is never extended."),
        .init("HOST", "0.0.0.0", "Address the HTTP listener binds to."),
        .init("PORT", "8080", "Port of /auth, /healthz, /readyz and /metrics."),
        .init("AUTH_REALM", "introspection-gateway", "realm of the WWW-Authenticate challenge."),
        .init("JWT_HEADER_NAME", "unset", "If set, a 200 carries the introspection result as a signed JWT in this header."),
        .init("JWT_SECRET", "unset (JWT_HEADER_NAME needs it or JWT_PRIVATE_KEY)", "HS256 key for that JWT, at least 32 bytes.", acceptsFile: true),
        .init("JWT_PRIVATE_KEY", "unset", "PEM private key to sign the JWT with instead of JWT_SECRET: P-256 (ES256), RSA of 2048 bits or more (RS256) or Ed25519 (EdDSA), told apart by the key. Its public key is served at /.well-known/jwks.json; JWT_PRIVATE_KEY_FILE is re-read on SIGHUP.", acceptsFile: true),
        .init("JWT_PREVIOUS_PUBLIC_KEY_FILE", "unset", "Comma-separated PEM public key files or directories (their *.pem files) still published and accepted after a key rotation; re-read on SIGHUP."),
        .init("JWT_TTL", "300s", "Upper bound of the JWT's lifetime; it never outlives the token's own exp."),
        .init("JWT_ISSUER", "unset", "iss of the JWT; when unset, the identity provider's iss is kept."),
        .init("JWT_AUDIENCE", "unset", "aud of the JWT; when unset, the identity provider's aud is kept."),
        .init("JWT_CLAIMS", "unset (all)", "Comma-separated introspection claims copied into the JWT (iat, exp, jti and a set iss/aud are always there)."),
        .init("CLAIM_HEADERS", "unset", "Claims sent as plain headers on a 200, e.g. sub:X-User,email:X-Email; arrays joined by spaces; unsafe values left out."),
        .init("ALLOW_JWT_PASSTHROUGH", "false", "Accept a request that already carries JWT_HEADER_NAME with a JWT that verifies with our key (current or previous) and has not expired."),
        .init("ALLOW_MISSING_AUTH_HEADER", "false", "Answer 200 (without identity headers) to requests that carry no Authorization header. Opens the upstream to anonymous requests."),
        .init("REQUIRED_SCOPES", "unset", "Scopes (space or comma separated) every token must carry; otherwise 403 insufficient_scope."),
        .init("REQUIRED_AUDIENCE", "unset", "A value the token's aud must contain; otherwise 401 invalid_token."),
        .init("REQUIRED_ISSUER", "unset", "The iss the token must have; otherwise 401 invalid_token."),
        .init("POLICY_FILE", "unset", "JSON rules per method and path (scopes all/any of, audience, anonymous, deny; see deploy/policy.example.json); re-read on SIGHUP."),
        .init("CACHE_TTL", "60s", "Longest an active introspection answer is cached; never past the token's exp. 0 turns caching off."),
        .init("CACHE_MAX_ENTRIES", "100000", "Bound of cached active answers (least recently used go first)."),
        .init("NEGATIVE_CACHE_TTL", "5s", "How long an inactive answer is cached; 0: not cached."),
        .init("NEGATIVE_CACHE_MAX_ENTRIES", "CACHE_MAX_ENTRIES/10, at least 1000", "Bound of cached inactive answers, apart from the active ones."),
        .init("STALE_IF_ERROR", "0 (off)", "While the provider fails, use an active answer up to this long after its cache TTL (never past exp)."),
        .init("CIRCUIT_BREAKER_FAILURES", "5", "Provider failures in a row that pause introspection (misses answer 503 at once); 0 turns it off."),
        .init("CIRCUIT_BREAKER_COOLDOWN", "1s", "First pause of the circuit breaker; doubles while the provider keeps failing, up to 30s."),
        .init("ADMIN_PORT", "unset (off)", "Port of the cache admin API (/admin/cache/evict, /admin/cache/flush) on ADMIN_HOST."),
        .init("ADMIN_HOST", "127.0.0.1", "Address of the admin listener; anything but loopback needs ADMIN_TOKEN."),
        .init("ADMIN_TOKEN", "unset", "Bearer token the admin API requires; with no ADMIN_PORT, the admin API is served on PORT behind it.", acceptsFile: true),
        .init("PROXY_PORT", "unset (off)", "Port of the Destination proxy listener on HOST: requests carrying DESTINATION_HEADER and a bearer token are checked like /auth and forwarded."),
        .init("DESTINATION_ALLOWLIST", "unset (required with PROXY_PORT)", "Comma-separated origins the proxy may forward to (https://api.example.com, http://10.0.0.5:8080) and host patterns (https://*.internal.example.com: any subdomain, not the domain itself). Others get 403."),
        .init("DESTINATION_HEADER", "Destination", "Request header that names the destination origin (optionally with a path prefix)."),
        .init("FORWARD_AUTHORIZATION", "false", "Keep the client's Authorization header on forwarded requests (else it is removed)."),
        .init("PROXY_CA_FILE", "unset", "PEM file with extra CA certificates trusted for destinations."),
        .init("PROXY_TIMEOUT", "60s", "Upper bound of connecting to a destination and of each wait for its next bytes (502/504 before the response starts)."),
        .init("AUTH_FAST_PATH", "true", "Answer /auth cache hits on the event loop (fastest); false sends every request through the async handler."),
        .init("MAX_CONNECTIONS", "10000", "Open connections PORT accepts at once, and PROXY_PORT on its own; further ones wait in the listen backlog."),
        .init("IDLE_TIMEOUT", "120s", "Keep-alive connections without a request for this long are closed. Keep it above the proxy's own upstream keep-alive timeout (nginx keepalive_timeout: 60s) so the proxy closes first."),
        .init("REQUEST_HEADER_TIMEOUT", "10s", "Longest a client may take to send a request head on PORT and PROXY_PORT, counted from its first byte (from the connect for a connection's first request): then 408 and the connection closes. Against slowloris; idle kept-alive connections are not affected."),
        .init("EVENT_LOOP_THREADS", "one per core", "Threads serving HTTP. Fewer than cores can help when nginx shares the machine."),
        .init("LOG_LEVEL", "info", "trace, debug, info, notice, warn, error or critical."),
        .init("LOG_FORMAT", "text", "text or json (one JSON object per line)."),
        .init("ENV_FILE", "./.env", "A .env file to read; real environment variables win over it."),
    ]
}
