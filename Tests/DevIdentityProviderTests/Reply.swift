import Foundation

/// A complete HTTP response as the tests look at it.
struct Reply: Sendable {
    let status: Int
    let headers: [(name: String, value: String)]
    let body: String

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// The body parsed as JSON, or nil when it is not JSON.
    var json: TestJSON? {
        try? JSONDecoder().decode(TestJSON.self, from: Data(body.utf8))
    }

    /// A member of the body's JSON object.
    subscript(member: String) -> TestJSON? {
        json?[member]
    }
}
