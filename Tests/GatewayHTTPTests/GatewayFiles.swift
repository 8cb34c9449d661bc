import Foundation

/// A temporary directory for the files a gateway reads (policy, keys), with keys made by the
/// `openssl` command line as operators make them. Removed when released.
final class GatewayFiles: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("gateway-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Writes a file by replacing it, as deployment tools do (a reader never sees half of it).
    func write(_ name: String, _ text: String) throws {
        let target = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = directory.appendingPathComponent(".\(UUID().uuidString)")
        try text.write(to: temporary, atomically: false, encoding: .utf8)
        guard rename(temporary.path, target.path) == 0 else { throw Failure(description: "cannot write \(target.path)") }
    }

    /// `openssl genpkey` arguments for each algorithm the gateway signs with.
    static let keyArguments: [String: [String]] = [
        "ES256": ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        "RS256": ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        "EdDSA": ["-algorithm", "ED25519"],
    ]

    /// Makes a private key `name` and its public key `name.pub`.
    func makeKey(_ algorithm: String, name: String) throws {
        try openssl(["genpkey"] + Self.keyArguments[algorithm]! + ["-out", path(name)])
        try openssl(["pkey", "-in", path(name), "-pubout", "-out", path(name + ".pub")])
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: path(name), encoding: .utf8)
    }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "openssl \(arguments.joined(separator: " ")): \(errorText)") }
    }
}
