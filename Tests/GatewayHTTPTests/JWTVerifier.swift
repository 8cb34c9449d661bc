import Foundation

/// Verifies a JWT with PyJWT, an independent, widely used implementation, and returns its claims.
enum PyJWT {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// - Parameter audience: required when the JWT has an `aud` (PyJWT checks it).
    static func decode(_ jwt: String, secret: String, audience: String? = nil) throws -> [String: Any] {
        let script = """
        import json, sys, jwt
        audience = sys.argv[3] if len(sys.argv) > 3 else None
        claims = jwt.decode(sys.argv[1], sys.argv[2], algorithms=["HS256"], audience=audience, options={"require": ["exp", "iat"]})
        print(json.dumps(claims))
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, jwt, secret] + (audience.map { [$0] } ?? [])
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "PyJWT rejected the JWT (is PyJWT installed? scripts/test installs it): \(errorText)")
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
