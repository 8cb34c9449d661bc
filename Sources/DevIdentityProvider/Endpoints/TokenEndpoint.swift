import Hummingbird

/// `POST /token`: the client credentials grant (RFC 6749 §4.4).
///
/// Besides `grant_type` and `scope`, it accepts a `lifetime` field (whole seconds) so tests
/// can ask for short-lived tokens.
struct TokenEndpoint: Sendable {
    let provider: DevIdentityProvider

    func respond(to request: Request) async throws -> Response {
        try await answer(request).response
    }

    private func answer(_ request: Request) async throws -> HTTPAnswer {
        let (clientID, form): (String, FormFields)
        switch AuthenticatedForm.read(try await RequestBodyReader.form(request), headers: request.headers, clients: provider.clients) {
        case .accepted(let authenticated, let fields): (clientID, form) = (authenticated, fields)
        case .refused(let refusal): return refusal
        }
        guard let grantType = form["grant_type"] else {
            return .oauthError("invalid_request", "grant_type is missing")
        }
        guard grantType == "client_credentials" else {
            return .oauthError("unsupported_grant_type", "only client_credentials is supported, not \"\(grantType)\"")
        }
        var lifetime: Duration?
        if let text = form["lifetime"] {
            guard let seconds = Int64(text), seconds >= 0 else {
                return .oauthError("invalid_request", "lifetime must be whole seconds >= 0, not \"\(text)\"")
            }
            lifetime = .seconds(seconds)
        }
        // An empty scope is no scope (RFC 6749 §3.3 defines scope as one or more tokens).
        let scope = form["scope"].flatMap { $0.isEmpty ? nil : $0 }
        let issued = provider.issue(clientID: clientID, scope: scope, subject: nil, lifetime: lifetime, extraClaims: [:])
        return Self.tokenAnswer(token: issued.token, expiresIn: issued.expiresIn, scope: scope)
    }

    /// The successful token response (RFC 6749 §5.1), shared with `POST /_dev/tokens`.
    static func tokenAnswer(token: String, expiresIn: Int64, scope: String?) -> HTTPAnswer {
        var members: [(key: String, value: DevJSON)] = [
            ("access_token", .string(token)),
            ("token_type", .string("Bearer")),
            ("expires_in", .int(expiresIn)),
        ]
        if let scope { members.append(("scope", .string(scope))) }
        return .json(JSONText.object(members))
    }
}
