import HTTPTypes

/// The form of a request to an endpoint that authenticates its client (`/token`, `/revoke`,
/// `/introspect`), once the client is authenticated; or the answer that refuses the request.
enum AuthenticatedForm {
    case accepted(clientID: String, form: FormFields)
    case refused(HTTPAnswer)

    /// A body that is not a form is refused as `RequestBodyReader` says; bad client credentials
    /// get 401 `invalid_client`, two authentication methods at once 400 `invalid_request`.
    static func read(_ reading: RequestBodyReader.FormReading, headers: HTTPFields, clients: [String: String]) -> AuthenticatedForm {
        let form: FormFields
        switch reading {
        case .fields(let fields): form = fields
        case .refused(let refusal): return .refused(refusal)
        }
        switch ClientAuthentication.authenticate(headers: headers, form: form, clients: clients) {
        case .authenticated(let clientID): return .accepted(clientID: clientID, form: form)
        case .rejected(let reason): return .refused(.invalidClient(reason))
        case .ambiguous(let reason): return .refused(.oauthError("invalid_request", reason))
        }
    }
}
