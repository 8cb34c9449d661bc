import Foundation
import Testing

@testable import GatewayCore

/// The README's variable table is what users read: it must name every variable the gateway reads.
@Suite struct ReadmeTests {
    @Test func theReadmeDocumentsEveryVariable() throws {
        let readme = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for variable in ConfigurationVariable.all {
            #expect(text.contains("| `\(variable.name)` |"), "README.md lacks \(variable.name); paste `introspection-gateway --help-markdown`")
        }
    }
}
