import Foundation
import GatewayCore

/// The whole configuration path: process environment over a `.env` file, `NAME_FILE` secrets,
/// then `GatewayConfiguration.parse`.
///
/// Input: `.env text` NUL `NAME=value lines (the process environment)` NUL `the content of every
/// file under /run/secrets/`. The `.env` (or `ENV_FILE`) reads the first part; other files do not exist.
///
/// Properties: parsing is deterministic; a failure reports at least one problem, each naming a
/// variable the gateway reads (or `.env`/`ENV_FILE`); a value read from a `NAME_FILE` never ends
/// in a line break; nothing printed (problems, warnings, the configuration itself) changes when
/// the secrets (`SSO_CLIENT_SECRET`, `JWT_SECRET`, `ADMIN_TOKEN`) are replaced by others of the
/// same length, so no secret can show; a configuration that parses obeys the documented limits.
enum ConfigurationFuzz {
    static let workingDirectory = "/fuzz/app"
    static let secretNames = ["SSO_CLIENT_SECRET", "JWT_SECRET", "ADMIN_TOKEN"]
    static let knownNames: Set<String> = Set(ConfigurationVariable.all.map(\.name)).union(ConfigurationVariable.all.map { $0.name + "_FILE" })
        .union([".env", "ENV_FILE"])

    static func run(_ bytes: [UInt8]) {
        let input = parts(bytes, 3)
        let dotEnv = text(input[0])
        var processEnvironment: [String: String] = [:]
        for line in text(input[1]).split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            processEnvironment[String(line[..<equals])] = String(line[line.index(after: equals)...])
        }
        let fileContent = text(input[2])
        let environmentFile = processEnvironment["ENV_FILE"]
        let readFile = files(dotEnv: dotEnv, environmentFile: environmentFile, secretsContent: fileContent)

        let environment = ConfigurationEnvironment.load(processEnvironment: processEnvironment, workingDirectory: workingDirectory, readFile: readFile)
        let outcome = parse(environment)
        let again = ConfigurationEnvironment.load(processEnvironment: processEnvironment, workingDirectory: workingDirectory, readFile: readFile)
        require(parse(again) == outcome, "parsing is not deterministic")

        for variable in ConfigurationVariable.all where variable.acceptsFile {
            if case .success(let value?) = environment.valueOrFile(variable.name), environment.value(variable.name + "_FILE") != nil {
                let last = value.unicodeScalars.last
                require(last != "\n" && last != "\r", "\(variable.name)_FILE gave a value ending in a line break: \(value.debugDescription)")
            }
        }

        if case .failure(let problems) = outcome {
            require(!problems.isEmpty, "a configuration failed without a problem")
            for problem in problems {
                require(knownNames.contains(problem.variable), "a problem names \(problem.variable.debugDescription), which is no variable")
            }
        }

        // The same configuration with other secrets of the same length must print the same. Files
        // are shared by every NAME_FILE here, so secrets from files are swapped only when no
        // other variable reads a file.
        let secretsFromFiles = secretNames.contains { environment.value($0 + "_FILE") != nil }
        let othersFromFiles = ConfigurationVariable.all.contains { !secretNames.contains($0.name) && environment.value($0.name + "_FILE") != nil }
        guard !(secretsFromFiles && othersFromFiles) else { return }
        var swapped = environment.variables
        for name in secretNames where swapped[name] != nil { swapped[name] = sameLengthOther(swapped[name]!) }
        let swappedFiles = files(dotEnv: dotEnv, environmentFile: environmentFile, secretsContent: secretsFromFiles ? sameLengthOther(fileContent) : fileContent)
        let withoutDotEnvProblems = parse(ConfigurationEnvironment(environment.variables, readFile: readFile))
        let withOtherSecrets = parse(ConfigurationEnvironment(swapped, readFile: swappedFiles))
        require(withOtherSecrets == withoutDotEnvProblems, "what is printed depends on a secret's value:\n\(withoutDotEnvProblems)\nvs\n\(withOtherSecrets)")
    }

    static func files(dotEnv: String, environmentFile: String?, secretsContent: String) -> @Sendable (String) throws -> String {
        { path in
            if path == workingDirectory + "/.env" || path == environmentFile { return dotEnv }
            if path.hasPrefix("/run/secrets/") { return secretsContent }
            throw CocoaError(.fileReadNoSuchFile)
        }
    }

    /// Every byte but line breaks replaced by `x` (or `y` where it was `x`): same length in
    /// bytes, different everywhere.
    static func sameLengthOther(_ value: String) -> String {
        String(decoding: value.utf8.map { $0 == 0x0a || $0 == 0x0d ? $0 : ($0 == 0x78 ? 0x79 : 0x78) }, as: UTF8.self)
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case success(String)
        case failure([ConfigurationProblem])

        var description: String {
            switch self {
            case .success(let printed): "success: \(printed)"
            case .failure(let problems): "failure: \(problems)"
            }
        }
    }

    /// Parses and checks the limits a running gateway relies on; on success, the text is all
    /// that may be printed (the configuration as `print` shows it, and the warnings).
    static func parse(_ environment: ConfigurationEnvironment) -> Outcome {
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.parse(environment)
        } catch {
            return .failure(error.problems)
        }
        let provider = configuration.identityProvider
        let scheme = provider.introspectionURL.scheme?.lowercased()
        require(scheme == "http" || scheme == "https", "introspection URL with scheme \(scheme ?? "none")")
        require(!(provider.introspectionURL.host ?? "").isEmpty, "introspection URL without a host")
        require(provider.introspectionURL.user == nil && provider.introspectionURL.password == nil, "introspection URL with credentials")
        require((0...65535).contains(configuration.port), "PORT \(configuration.port)")
        require(provider.timeout >= .milliseconds(10), "INTROSPECTION_TIMEOUT below its minimum")
        if configuration.signing.headerName != nil {
            require((configuration.signing.secret?.byteCount ?? 0) >= 32, "a JWT is signed with a secret shorter than 32 bytes")
        }
        if configuration.allowsJWTPassthrough { require(configuration.signing.headerName != nil, "passthrough without a JWT header") }
        if let token = configuration.admin.token { require(token.byteCount >= 16, "ADMIN_TOKEN shorter than 16 bytes") }
        if configuration.admin.port != nil, configuration.admin.token == nil {
            require(["127.0.0.1", "::1", "localhost"].contains(configuration.admin.host), "admin API beyond loopback without a token")
        }
        require(!configuration.realm.contains("\""), "AUTH_REALM with a quote")
        return .success("\(configuration)\n\(configuration.warnings.joined(separator: "\n"))")
    }
}
