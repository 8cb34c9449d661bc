#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// A small but real OAuth 2.0 identity provider: client-credentials tokens (RFC 6749 §4.4),
/// introspection (RFC 7662) and revocation (RFC 7009), served by ``makeApplication(host:port:logger:onServerRunning:)``.
///
/// The gateway's `demo` mode runs it, and the gateway's tests run it on a loopback socket
/// with switchable ``FailureMode``s, counting and recording each introspection request.
/// All state is behind a mutex, so tests may change it while requests are in flight.
public final class DevIdentityProvider: Sendable {
    /// `client_id` → `client_secret` of the clients allowed to call `/token`, `/introspect` and `/revoke`.
    let clients: [String: String]
    /// Written as `iss` in introspection answers.
    let issuer: String
    let defaultTokenLifetime: Duration
    /// Seconds since the epoch; injectable so tests can expire tokens without waiting.
    let now: @Sendable () -> Double
    private let state = Mutex(ProviderState())

    /// - Parameters:
    ///   - clients: `client_id` → `client_secret` allowed to call `/token` and `/introspect`.
    ///   - issuer: the `iss` claim of issued tokens.
    ///   - defaultTokenLifetime: lifetime of tokens issued without one.
    ///   - now: the clock, in seconds since the epoch.
    public init(
        clients: [String: String] = ["demo-client": "demo-secret"],
        issuer: String = "http://127.0.0.1/dev-idp",
        defaultTokenLifetime: Duration = .seconds(3600),
        now: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.clients = clients
        self.issuer = issuer
        self.defaultTokenLifetime = defaultTokenLifetime
        self.now = now
    }

    /// Issues an opaque random token (32 random bytes, base64url) as `POST /token` would.
    ///
    /// Introspection then answers `active`, `scope` (if any), `client_id`, `sub`
    /// (`subject ?? clientID`), `token_type` `Bearer`, `iat`, `exp` (now + lifetime, whole
    /// seconds) and `iss`, plus `extraClaims` written as given (replacing a standard claim
    /// of the same name).
    public func issueToken(
        clientID: String,
        scope: String? = nil,
        subject: String? = nil,
        lifetime: Duration? = nil,
        extraClaims: [String: DevJSON] = [:]
    ) -> String {
        issue(clientID: clientID, scope: scope, subject: subject, lifetime: lifetime, extraClaims: extraClaims).token
    }

    /// Registers a token whose introspection answer is exactly this JSON text, to test odd
    /// provider shapes (no `sub`, `aud` arrays, float timestamps…). It never expires, but can be revoked.
    public func register(token: String, introspectionAnswer: String) {
        state.withLock {
            $0.tokens[token] = .registered(answer: introspectionAnswer)
            $0.everKnown.append(token)
        }
    }

    /// Forgets the token: introspection answers `{"active":false}` from now on.
    public func revoke(token: String) {
        _ = state.withLock { $0.tokens.removeValue(forKey: token) }
    }

    /// Number of `POST /introspect` requests received, whatever their outcome, including
    /// failures served by a failure mode and requests rejected for bad client credentials.
    /// Every token this provider issued or had registered, revoked ones included: tests check
    /// that none of them ever shows up in the gateway's logs, metrics or answers.
    public var knownTokens: [String] {
        state.withLock { $0.everKnown }
    }

    public var introspectionCount: Int {
        state.withLock { $0.introspectionCount }
    }

    /// Sets ``introspectionCount`` to 0 and forgets ``lastIntrospectionRequest``.
    public func resetCounters() {
        state.withLock {
            $0.introspectionCount = 0
            $0.lastIntrospectionRequest = nil
        }
    }

    /// The last `POST /introspect` request as received.
    public var lastIntrospectionRequest: RecordedRequest? {
        state.withLock { $0.lastIntrospectionRequest }
    }

    /// How `/introspect` behaves; ``FailureMode/normal`` by default. Safe to change while
    /// requests are in flight: a hanging request notices within 50 ms.
    public var failureMode: FailureMode {
        get { state.withLock { $0.failureMode } }
        set { state.withLock { $0.failureMode = newValue } }
    }

    /// Same as setting ``failureMode``, for call sites that prefer a method.
    public func setFailureMode(_ mode: FailureMode) {
        failureMode = mode
    }

    // MARK: - For the endpoints

    /// Issues a token and returns it with the lifetime written in `expires_in`.
    func issue(
        clientID: String,
        scope: String?,
        subject: String?,
        lifetime: Duration?,
        extraClaims: [String: DevJSON]
    ) -> (token: String, expiresIn: Int64) {
        let issuedAtInstant = now()
        let issuedAt = TimeConversion.wholeSeconds(issuedAtInstant)
        let seconds = TimeConversion.seconds(lifetime ?? defaultTokenLifetime)
        let record = IssuedToken(
            clientID: clientID,
            scope: scope,
            subject: subject ?? clientID,
            issuedAt: issuedAt,
            expiresAt: TimeConversion.wholeSeconds(issuedAtInstant + seconds),
            extraClaims: extraClaims
        )
        let token = RandomToken.make()
        state.withLock {
            $0.tokens[token] = .issued(record)
            $0.everKnown.append(token)
        }
        return (token, record.expiresAt &- record.issuedAt)
    }

    /// What introspection says about this token right now.
    func introspectionAnswer(for token: String) -> IntrospectionAnswer {
        let record = state.withLock { $0.tokens[token] }
        switch record {
        case nil:
            return .inactive
        case .registered(let answer):
            return .raw(answer)
        case .issued(let issued):
            return issued.isExpired(at: now()) ? .inactive : .active(issued.claims(issuer: issuer))
        }
    }

    /// Counts an introspection request as it arrives, before anything can fail.
    func countIntrospection() {
        state.withLock { $0.introspectionCount += 1 }
    }

    func record(_ request: RecordedRequest) {
        state.withLock { $0.lastIntrospectionRequest = request }
    }

    /// Back to a fresh provider for scripts (`POST /_dev/reset`): counters to 0, mode normal.
    /// Tokens are kept, so a script can reset between phases without re-issuing.
    func resetForScripts() {
        state.withLock {
            $0.introspectionCount = 0
            $0.lastIntrospectionRequest = nil
            $0.failureMode = .normal
        }
    }
}
