#if !FUZZING
import Foundation

/// Without libFuzzer (a plain `swift build`), the executable replays inputs through a target:
/// the committed corpus, or a `crash-…` file libFuzzer saved. Fuzzing itself needs the
/// instrumented build that `scripts/fuzz` makes.
@main
enum GatewayFuzzReplay {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget.named(name) else {
            print(usage)
            exit(arguments.isEmpty || arguments.first == "--help" ? 0 : 2)
        }
        var count = 0
        for path in arguments.dropFirst() {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    print("cannot read \(file)")
                    exit(2)
                }
                target.run(Array(data))
                count += 1
            }
        }
        print("\(name): \(count) inputs replayed, every property held")
    }

    private static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }
    }

    static var usage: String {
        """
        GatewayFuzz: libFuzzer targets for the gateway's parsers.

        Fuzz (builds with libFuzzer into .build-fuzz, runs every target, fails on any finding):
            scripts/fuzz [seconds-per-target] [target...]

        This build has no libFuzzer; it replays inputs through one target:
            swift run GatewayFuzz <target> <file-or-directory>...
            e.g. swift run GatewayFuzz dotenv Fuzz/corpus/dotenv

        Targets:
        \(FuzzTarget.all.map { "    \($0.name.padding(toLength: 15, withPad: " ", startingAt: 0)) \($0.summary)" }.joined(separator: "\n"))
        """
    }
}
#endif
