#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes

/// The outcome of OAuth client authentication (RFC 6749 §2.3.1): HTTP Basic with
/// form-encoded id and secret, or `client_id`/`client_secret` form fields.
enum ClientAuthentication: Equatable {
    case authenticated(clientID: String)
    /// 401 `invalid_client`: missing, unknown or wrong credentials.
    case rejected(String)
    /// 400 `invalid_request`: RFC 6749 §2.3 forbids using two methods in one request.
    case ambiguous(String)

    static func authenticate(headers: HTTPFields, form: FormFields, clients: [String: String]) -> ClientAuthentication {
        let authorizations = headers[values: .authorization]
        let formSecret = form["client_secret"]
        if !authorizations.isEmpty, formSecret != nil {
            return .ambiguous("client authenticated both with HTTP Basic and client_secret; use one method")
        }
        let credentials: (id: String, secret: String)
        if !authorizations.isEmpty {
            guard authorizations.count == 1 else {
                return .rejected("more than one Authorization header")
            }
            switch basicCredentials(authorizations[0]) {
            case .success(let decoded): credentials = decoded
            case .failure(let problem): return .rejected(problem.description)
            }
        } else if let formID = form["client_id"], let formSecret {
            credentials = (formID, formSecret)
        } else {
            return .rejected("no client authentication: send HTTP Basic or client_id and client_secret")
        }
        guard let expected = clients[credentials.id], constantTimeEqual(expected, credentials.secret) else {
            return .rejected("unknown client or wrong secret")
        }
        return .authenticated(clientID: credentials.id)
    }

    /// `Basic base64(urlencode(id) ":" urlencode(secret))`; the scheme name is case-insensitive (RFC 9110 §11.1).
    private static func basicCredentials(_ header: String) -> Result<(id: String, secret: String), RequestProblem> {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "basic" else {
            return .failure(.init("Authorization is not HTTP Basic"))
        }
        // Base64 has no whitespace of its own; stray blanks around it are tolerated.
        guard let decoded = Data(base64Encoded: String(parts[1].filter { !$0.isWhitespace })) else {
            return .failure(.init("HTTP Basic credentials are not valid base64"))
        }
        let bytes = Array(decoded)
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else {
            return .failure(.init("HTTP Basic credentials have no ':' between id and secret"))
        }
        do throws(RequestProblem) {
            let id = try FormFields.decode(bytes[..<colon])
            let secret = try FormFields.decode(bytes[(colon + 1)...])
            return .success((id, secret))
        } catch {
            return .failure(error)
        }
    }

    /// Compares secrets in time independent of where they differ, as a real provider must.
    private static func constantTimeEqual(_ left: String, _ right: String) -> Bool {
        let leftBytes = Array(left.utf8)
        let rightBytes = Array(right.utf8)
        guard leftBytes.count == rightBytes.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(leftBytes, rightBytes) { difference |= a ^ b }
        return difference == 0
    }
}

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
