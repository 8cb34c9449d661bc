#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `introspection-gateway [--help | --version | --check-config | demo | dev-idp]`.
@main
enum IntrospectionGateway {
    static let version = "0.1.0"

    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        switch arguments.first {
        case nil:
            exit(await RunCommand.run(checkOnly: false))
        case "--check-config":
            exit(await RunCommand.run(checkOnly: true))
        case "--help", "-h", "help":
            print(HelpText.text)
        case "--help-markdown":
            print(HelpText.markdownTable)
        case "--version":
            print("introspection-gateway \(version)")
        case "demo":
            exit(await DemoCommand.run())
        case "dev-idp":
            exit(await DevIdentityProviderCommand.run(Array(arguments.dropFirst())))
        case let unknown?:
            Console.error("unknown argument '\(unknown)'; see `introspection-gateway --help`")
            exit(2)
        }
    }
}

/// Output for people: errors on standard error, everything else on standard output. Written
/// unbuffered, so a script reading a pipe or file sees each line at once.
enum Console {
    static func out(_ text: String) {
        let bytes = Array((text.hasSuffix("\n") ? text : text + "\n").utf8)
        bytes.withUnsafeBytes { _ = write(STDOUT_FILENO, $0.baseAddress, $0.count) }
    }

    static func error(_ line: String) {
        let bytes = Array("introspection-gateway: \(line)\n".utf8)
        bytes.withUnsafeBytes { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }
}
