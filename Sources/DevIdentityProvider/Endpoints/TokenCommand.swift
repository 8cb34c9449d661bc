/// The body of `POST /_dev/tokens`, e.g. `{"client_id":"demo-client","scope":"read write","lifetime":3600,"subject":"alice"}`.
///
/// `extra_claims` (a JSON object) is accepted too, written into the introspection answer as given;
/// `count` (1 to 1,000,000) issues that many tokens at once (benchmarks), answered as `{"access_tokens":[…]}`.
struct TokenCommand: Decodable {
    let clientID: String
    let scope: String?
    let lifetimeSeconds: Int64?
    let subject: String?
    let extraClaims: [String: DecodedJSON]?
    let count: Int?

    static let example = #"{"client_id":"demo-client","scope":"read write","lifetime":3600,"subject":"alice"}"#

    private enum CodingKeys: String, CodingKey {
        case client_id, scope, lifetime, subject, extra_claims, count
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        clientID = try container.decode(String.self, forKey: .client_id)
        scope = try container.decodeIfPresent(String.self, forKey: .scope)
        lifetimeSeconds = try container.decodeIfPresent(Int64.self, forKey: .lifetime)
        subject = try container.decodeIfPresent(String.self, forKey: .subject)
        extraClaims = try container.decodeIfPresent([String: DecodedJSON].self, forKey: .extra_claims)
        count = try container.decodeIfPresent(Int.self, forKey: .count)
    }

    /// How many tokens to issue, or nil for one answered like `POST /token`.
    func batchSize() throws(RequestProblem) -> Int? {
        guard let count else { return nil }
        guard (1...1_000_000).contains(count) else { throw RequestProblem("\"count\" must be from 1 to 1000000, not \(count)") }
        return count
    }

    /// The lifetime to issue with, or nil for the provider's default.
    func lifetime() throws(RequestProblem) -> Duration? {
        guard let lifetimeSeconds else { return nil }
        guard lifetimeSeconds >= 0 else {
            throw RequestProblem("\"lifetime\" must be whole seconds >= 0, not \(lifetimeSeconds)")
        }
        return .seconds(lifetimeSeconds)
    }
}
