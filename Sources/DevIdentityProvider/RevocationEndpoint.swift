import Hummingbird

/// `POST /revoke`: token revocation (RFC 7009).
///
/// Any authenticated client may revoke any token: this is a development provider, and RFC 7009
/// §2.2 answers 200 for unknown tokens anyway.
struct RevocationEndpoint: Sendable {
    let provider: DevIdentityProvider

    func respond(to request: Request) async throws -> Response {
        try await answer(request).response
    }

    private func answer(_ request: Request) async throws -> HTTPAnswer {
        let form: FormFields
        switch try await RequestBodyReader.form(request) {
        case .fields(let fields): form = fields
        case .refused(let refusal): return refusal
        }
        switch ClientAuthentication.authenticate(headers: request.headers, form: form, clients: provider.clients) {
        case .authenticated: break
        case .rejected(let reason): return .invalidClient(reason)
        case .ambiguous(let reason): return .oauthError("invalid_request", reason)
        }
        guard let token = form["token"] else {
            return .oauthError("invalid_request", "token is missing")
        }
        provider.revoke(token: token)
        return HTTPAnswer(status: .ok, headers: [:], body: "")
    }
}
