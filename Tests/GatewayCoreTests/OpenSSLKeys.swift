import Foundation

/// Keys made by the `openssl` command line, in the PEM forms operators will have.
enum OpenSSLKeys {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    enum Kind: String, CaseIterable, CustomStringConvertible {
        case es256PKCS8, es256SEC1, rs256PKCS8, rs256PKCS1, edDSA
        var description: String { rawValue }

        var arguments: [String] {
            switch self {
            case .es256PKCS8: ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]
            // `ecparam -genkey` writes an EC PARAMETERS block before the key.
            case .es256SEC1: ["ecparam", "-name", "prime256v1", "-genkey"]
            case .rs256PKCS8: ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]
            case .rs256PKCS1: ["genrsa", "-traditional", "2048"]
            case .edDSA: ["genpkey", "-algorithm", "ED25519"]
            }
        }

        var algorithm: String {
            switch self {
            case .es256PKCS8, .es256SEC1: "ES256"
            case .rs256PKCS8, .rs256PKCS1: "RS256"
            case .edDSA: "EdDSA"
            }
        }
    }

    /// A fresh private key of this kind, as PEM.
    static func privateKey(_ kind: Kind) throws -> String {
        try run(kind.arguments)
    }

    /// The public key of a private key, as PEM (SubjectPublicKeyInfo).
    static func publicKey(of privatePEM: String) throws -> String {
        try run(["pkey", "-pubout"], input: privatePEM)
    }

    static func run(_ arguments: [String], input: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let output = Pipe()
        let errors = Pipe()
        let stdin = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = stdin
        try process.run()
        if let input { stdin.fileHandleForWriting.write(Data(input.utf8)) }
        try stdin.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failure(description: "openssl \(arguments.joined(separator: " ")): \(errorText)") }
        return String(decoding: data, as: UTF8.self)
    }
}
