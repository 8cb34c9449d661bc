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
        switch AuthenticatedForm.read(try await RequestBodyReader.form(request), headers: request.headers, clients: provider.clients) {
        case .accepted(_, let fields): form = fields
        case .refused(let refusal): return refusal
        }
        guard let token = form["token"] else {
            return .oauthError("invalid_request", "token is missing")
        }
        provider.revoke(token: token)
        return HTTPAnswer(status: .ok, headers: [:], body: "")
    }
}
