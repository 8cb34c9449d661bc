/// The fuzz targets: one per parser that reads bytes from outside the gateway. Each asserts
/// properties of the parser's result (see `FuzzCheck`), not only that it returns.
///
/// One executable holds them all; `FUZZ_TARGET` (libFuzzer build) or the first argument (replay
/// build) picks one. `scripts/fuzz` runs each in turn on its corpus under `Fuzz/corpus/<name>/`.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([UInt8]) -> Void

    static let all: [FuzzTarget] = [
        FuzzTarget(name: "authorization", summary: "Authorization header / bearer token (AuthorizationHeader.parse)", run: AuthorizationFuzz.run),
        FuzzTarget(name: "dotenv", summary: ".env files (DotEnvFile.parse)", run: DotEnvFuzz.run),
        FuzzTarget(name: "configuration", summary: "environment + .env + *_FILE into GatewayConfiguration.parse", run: ConfigurationFuzz.run),
        FuzzTarget(name: "introspection", summary: "identity provider answers (IntrospectionAnswer.parse) and the JWT made of them", run: IntrospectionFuzz.run),
        FuzzTarget(name: "passthrough", summary: "JWTs presented by clients (PassthroughVerifier.verify)", run: PassthroughFuzz.run),
        FuzzTarget(name: "signing", summary: "verify(sign(claims)) == claims, any changed byte fails (JWTIssuer, HS256, ES256)", run: SigningFuzz.run),
        FuzzTarget(name: "destination", summary: "Destination headers and DESTINATION_ALLOWLIST (Destination.parse, DestinationAllowlist)", run: DestinationFuzz.run),
        FuzzTarget(name: "policy", summary: "policy files and request paths (RoutePolicyFile.parse, RequestPath.normalize, RoutePolicy.match)", run: PolicyFuzz.run),
    ]

    static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }
}
