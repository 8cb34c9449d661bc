import Foundation
import GatewayCore
import GatewayHTTP
import Logging
import ServiceLifecycle
import UnixSignals

/// Runs the gateway (or only validates its configuration).
enum RunCommand {
    static func run(checkOnly: Bool) async -> Int32 {
        let environment = ConfigurationEnvironment.load()
        let configuration: GatewayConfiguration
        do {
            configuration = try GatewayConfiguration.parse(environment)
        } catch {
            for problem in error.problems { Console.error(problem.description) }
            Console.error("\(error.problems.count) configuration problem\(error.problems.count == 1 ? "" : "s"); not started. See --help.")
            return 2
        }
        if checkOnly {
            for warning in configuration.warnings { print("warning: \(warning)") }
            print("configuration is valid")
            return 0
        }
        let logger = GatewayLogging.bootstrap(level: configuration.logLevel, format: configuration.logFormat)
        for warning in configuration.warnings { logger.warning("\(warning)") }
        if let path = environment.dotEnvPath { logger.info("read variables from \(path)") }
        do {
            let runtime = try GatewayRuntime(
                configuration: configuration, logger: logger,
                onServerRunning: { port in
                    logger.info("listening on \(configuration.host):\(port); introspecting at \(configuration.identityProvider.introspectionURL.absoluteString)")
                },
                onProxyRunning: { port in
                    logger.info("Destination proxy listening on \(configuration.host):\(port); allowed: \(configuration.proxy?.allowlist.description ?? "")")
                })
            let group = ServiceGroup(configuration: .init(services: runtime.services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            logger.info("stopped")
            return 0
        } catch {
            logger.critical("cannot run: \(error)")
            return 1
        }
    }
}

/// Installs the gateway's log handler once per process.
enum GatewayLogging {
    static func bootstrap(level: Logger.Level, format: LogFormat) -> Logger {
        LoggingSystem.bootstrap { label in GatewayLogHandler(label: label, level: level, format: format) }
        return Logger(label: "introspection-gateway")
    }
}
