import Logging

/// Re-reads the files a running gateway takes changes from without a restart: `POLICY_FILE`,
/// `JWT_PRIVATE_KEY_FILE` and `JWT_PREVIOUS_PUBLIC_KEY_FILE` (the same paths as at start-up,
/// validated exactly as at start-up). All of them are put in force together, or, when anything
/// is wrong, none: the running settings stay and every problem is logged.
///
/// SIGHUP calls `reload()` (`ReloadSignalService`); tests call it directly. Environment
/// variables (and `JWT_SECRET`) are not re-read: they cannot change under a running process.
public struct ConfigurationReloader: Sendable {
    public enum Outcome: Sendable, Equatable {
        /// The new settings are in force; a one-line summary.
        case reloaded(String)
        /// Nothing changed; why.
        case rejected([ConfigurationProblem])
    }

    private let configuration: GatewayConfiguration
    private let settings: LiveSettings
    private let logger: Logger
    private let readFile: @Sendable (String) throws -> String

    public init(
        configuration: GatewayConfiguration, settings: LiveSettings, logger: Logger,
        readFile: @escaping @Sendable (String) throws -> String = ConfigurationEnvironment.readTextFile
    ) {
        self.configuration = configuration
        self.settings = settings
        self.logger = logger
        self.readFile = readFile
    }

    @discardableResult
    public func reload() -> Outcome {
        var problems: [ConfigurationProblem] = []
        var routes = configuration.policy.routes
        if let path = routes.file {
            switch RoutePolicyFile.load(path: path, read: readFile) {
            case .success(let policy): routes = policy
            case .failure(let found): problems += found.messages.map { ConfigurationProblem(variable: "POLICY_FILE", message: $0) }
            }
        }
        var signing = configuration.signing
        if let keys = signing.keys {
            var key = keys.current
            if let path = signing.privateKeyFile {
                do {
                    key = try SigningKey(pem: try readFile(path))
                } catch let problem as KeyProblem {
                    problems.append(ConfigurationProblem(variable: "JWT_PRIVATE_KEY_FILE", message: "'\(path)' \(problem)"))
                } catch {
                    problems.append(ConfigurationProblem(variable: "JWT_PRIVATE_KEY_FILE", message: "cannot read '\(path)'"))
                }
            }
            let previous = SigningKeys.loadPublicKeys(from: signing.previousKeyPaths, read: readFile)
            problems += previous.problems.map { ConfigurationProblem(variable: "JWT_PREVIOUS_PUBLIC_KEY_FILE", message: $0) }
            signing.keys = SigningKeys(current: key, previous: previous.keys)
        }
        guard problems.isEmpty else {
            for problem in problems { logger.error("reload refused, the running settings stay: \(problem)") }
            return .rejected(problems)
        }

        let state = SigningState(signing: signing, allowsPassthrough: configuration.allowsJWTPassthrough, clockSkew: configuration.clockSkew)
        let replaced = settings.replace(with: LiveSettings.Snapshot(routes: routes, signing: state))
        var summary = routes.file.map { "policy: \(routes.rules.count) rule\(routes.rules.count == 1 ? "" : "s") from \($0)" } ?? "no policy file"
        if let keys = signing.keys {
            summary += "; signing with \(keys.current.algorithm.rawValue) key \(keys.current.keyID)"
            summary += keys.previous.isEmpty ? "" : "; also publishing \(keys.previous.map(\.keyID).joined(separator: ", "))"
            if let old = replaced.signing.publicKeys.first, old.keyID != keys.current.keyID, !state.publicKeys.contains(where: { $0.keyID == old.keyID }) {
                logger.warning(
                    "the replaced signing key \(old.keyID) is no longer published: JWTs signed with it (up to JWT_TTL old) now fail upstream. Unless the key was compromised, add its public key to JWT_PREVIOUS_PUBLIC_KEY_FILE and reload")
            }
        }
        logger.info("reloaded: \(summary)")
        return .reloaded(summary)
    }
}
