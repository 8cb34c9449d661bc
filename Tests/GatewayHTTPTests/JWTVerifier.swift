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
        return try run(script, [jwt, secret] + (audience.map { [$0] } ?? []))
    }

    /// Verifies with nothing but a JWKS document, as an upstream does: the key is the one the
    /// JWT's `kid` names, its algorithm the one the JWK states. Also checks that every `kid` is
    /// the key's RFC 7638 thumbprint, computed here independently.
    static func decode(_ jwt: String, jwks: String, audience: String? = nil) throws -> [String: Any] {
        let script = """
        import base64, hashlib, json, sys, jwt
        document = json.loads(sys.argv[2])
        required = {"EC": ["crv", "kty", "x", "y"], "RSA": ["e", "kty", "n"], "OKP": ["crv", "kty", "x"]}
        for key in document["keys"]:
            canonical = json.dumps({name: key[name] for name in required[key["kty"]]}, separators=(",", ":"), sort_keys=True)
            thumbprint = base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()
            assert key["kid"] == thumbprint, "kid %s is not the thumbprint %s" % (key["kid"], thumbprint)
        keys = jwt.PyJWKSet.from_dict(document)
        header = jwt.get_unverified_header(sys.argv[1])
        key = keys[header["kid"]]
        audience = sys.argv[3] if len(sys.argv) > 3 else None
        claims = jwt.decode(sys.argv[1], key.key, algorithms=[key.algorithm_name], audience=audience, options={"require": ["exp", "iat"]})
        print(json.dumps(claims))
        """
        return try run(script, [jwt, jwks] + (audience.map { [$0] } ?? []))
    }

    private static func run(_ script: String, _ arguments: [String]) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "PyJWT rejected the JWT (are PyJWT and cryptography installed? scripts/test installs them): \(errorText)")
        }
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}
