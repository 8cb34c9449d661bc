extension GatewayConfiguration {
    /// `POLICY_FILE`: the per-route rules, every problem in the file reported with the others.
    static func parseRoutePolicy(_ reader: inout ConfigurationReader) -> RoutePolicy {
        guard let path = reader.string("POLICY_FILE") else { return .none }
        if let text = reader.string("ALLOW_MISSING_AUTH_HEADER"), ConfigurationValue.boolean(text) == true {
            reader.problem(
                "ALLOW_MISSING_AUTH_HEADER",
                "lets requests without a token through on every route, whatever POLICY_FILE requires; mark the open routes \"anonymous\": true in the policy file instead")
        }
        let environment = reader.environment
        switch RoutePolicyFile.load(path: path, read: { try environment.contents(ofFile: $0) }) {
        case .success(let policy):
            return policy
        case .failure(let problems):
            for problem in problems.messages { reader.problem("POLICY_FILE", problem) }
            return .none
        }
    }
}
