import Foundation
import GatewayCore

/// `--help`: every command and every variable with its default, from `ConfigurationVariable.all`.
enum HelpText {
    static var text: String {
        var lines = [
            "introspection-gateway \(IntrospectionGateway.version): answers auth subrequests (nginx auth_request, HAProxy,",
            "Traefik ForwardAuth, Envoy ext_authz) by RFC 7662 token introspection.",
            "",
            "Usage:",
            "  introspection-gateway                 run the gateway, configured by the environment",
            "  introspection-gateway --check-config  validate the configuration, print its problems, and exit",
            "  introspection-gateway demo            run on a built-in identity provider and print a ready curl",
            "  introspection-gateway dev-idp [--host H] [--port P] [--client ID:SECRET]",
            "                                        run only the development identity provider (tests, benchmarks)",
            "  introspection-gateway --version | --help",
            "",
            "Endpoints: /auth and /auth/* (any method), /healthz, /readyz, /metrics; with ADMIN_PORT or ADMIN_TOKEN",
            "also /admin/cache/evict and /admin/cache/flush. With PROXY_PORT, a Destination proxy listener.",
            "",
            "Environment (also read from ./.env or ENV_FILE; real environment variables win;",
            "variables marked [file] can instead name a file in NAME_FILE, e.g. SSO_CLIENT_SECRET_FILE):",
            "",
        ]
        let width = (ConfigurationVariable.all.map(\.name.count).max() ?? 0) + 2
        for variable in ConfigurationVariable.all {
            let name = variable.name.padding(toLength: width, withPad: " ", startingAt: 0)
            lines.append("  \(name)\(variable.summary)\(variable.acceptsFile ? " [file]" : "")")
            lines.append("  \(String(repeating: " ", count: width))default: \(variable.defaultValue)")
        }
        lines += ["", "Durations: 500ms, 2s, 5m, 1h or plain seconds. Booleans: true/false, 1/0, yes/no."]
        return lines.joined(separator: "\n")
    }

    /// The variables as a Markdown table, for the README (`--help-markdown`).
    static var markdownTable: String {
        var lines = ["| variable | default | meaning |", "|---|---|---|"]
        for variable in ConfigurationVariable.all {
            let file = variable.acceptsFile ? " Also `\(variable.name)_FILE`." : ""
            lines.append("| `\(variable.name)` | \(variable.defaultValue) | \(variable.summary)\(file) |")
        }
        return lines.joined(separator: "\n")
    }
}
