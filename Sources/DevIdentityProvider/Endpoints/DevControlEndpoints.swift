import Hummingbird
import NIOCore

/// The `/_dev` endpoints, so scripts that run the provider as a separate process can drive
/// it as Swift tests drive the object. They need no client authentication: the gateway only
/// ever binds this provider to loopback.
struct DevControlEndpoints: Sendable {
    let provider: DevIdentityProvider

    /// `GET /_dev/stats` → `{"introspections":N}`.
    func stats() -> Response {
        HTTPAnswer.json(JSONText.object([("introspections", .int(Int64(provider.introspectionCount)))])).response
    }

    /// `POST /_dev/reset`: counters to 0, mode normal; answers the fresh stats.
    func reset() -> Response {
        provider.resetForScripts()
        return stats()
    }

    /// `POST /_dev/mode` with `{"mode":…}`; answers `{"mode":…}` once applied.
    func setMode(_ request: Request) async throws -> Response {
        guard let body = try await RequestBodyReader.collect(request) else { return RequestBodyReader.tooLarge.response }
        do throws(RequestProblem) {
            let command = try JSONRequestDecoder.decode(ModeCommand.self, from: body, example: ModeCommand.example)
            provider.failureMode = try command.failureMode()
            return HTTPAnswer.json(JSONText.object([("mode", .string(command.mode))])).response
        } catch {
            return HTTPAnswer.oauthError("invalid_request", error.description).response
        }
    }

    /// `POST /_dev/tokens` with `{"client_id":…}`; answers like `POST /token`.
    func issueToken(_ request: Request) async throws -> Response {
        guard let body = try await RequestBodyReader.collect(request) else { return RequestBodyReader.tooLarge.response }
        do throws(RequestProblem) {
            let command = try JSONRequestDecoder.decode(TokenCommand.self, from: body, example: TokenCommand.example)
            let scope = command.scope.flatMap { $0.isEmpty ? nil : $0 }
            if let count = try command.batchSize() {
                let lifetime = try command.lifetime()
                let extraClaims = command.extraClaims?.mapValues(\.value) ?? [:]
                let tokens = (0..<count).map { _ in
                    provider.issue(clientID: command.clientID, scope: scope, subject: command.subject, lifetime: lifetime, extraClaims: extraClaims).token
                }
                return HTTPAnswer.json("{\"access_tokens\":[" + tokens.map { "\"\($0)\"" }.joined(separator: ",") + "]}").response
            }
            let issued = provider.issue(
                clientID: command.clientID,
                scope: scope,
                subject: command.subject,
                lifetime: try command.lifetime(),
                extraClaims: command.extraClaims?.mapValues(\.value) ?? [:]
            )
            return TokenEndpoint.tokenAnswer(token: issued.token, expiresIn: issued.expiresIn, scope: scope).response
        } catch {
            return HTTPAnswer.oauthError("invalid_request", error.description).response
        }
    }

    /// `GET /healthz`.
    func health() -> Response {
        HTTPAnswer.json(#"{"status":"ok"}"#).response
    }
}
