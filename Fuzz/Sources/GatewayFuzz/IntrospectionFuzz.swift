import GatewayCore

/// The identity provider's introspection answers (RFC 7662 §2.2): the bytes of a 200's body.
///
/// Properties: parsing is deterministic; a result (active or inactive) only ever comes from a
/// JSON object (never from an array, a string, `true`, or text that is not JSON); active means
/// `"active": true` was there and `exp`/`nbf` allow it now; the claims never contain `active`;
/// and the JWT issued for active claims verifies with our key and carries the same claims.
enum IntrospectionFuzz {
    static let now = 1_750_000_000.0
    static let clockSkew = 30.0
    static let signer = HS256Signer(secret: Secret("fuzz-signing-key-of-at-least-32-bytes!"))
    static let issuer = JWTIssuer(signer: signer, ttl: .seconds(300), issuer: nil)

    static func run(_ bytes: [UInt8]) {
        let result: Result<IntrospectionResult, IntrospectionFailure>
        do {
            result = .success(try IntrospectionAnswer.parse(bytes, now: now, clockSkew: clockSkew))
        } catch {
            result = .failure(error)
        }
        let again = Result<IntrospectionResult, IntrospectionFailure> { () throws(IntrospectionFailure) in
            try IntrospectionAnswer.parse(bytes, now: now, clockSkew: clockSkew)
        }
        require(again == result, "parsing is not deterministic")

        guard case .success(let outcome) = result else {
            if case .failure(let failure) = result {
                require(failure.kind == "malformed_answer", "a body was rejected as \(failure.kind), not as malformed")
            }
            return
        }
        // Independently of the JSON parser: only an object can be a result. (A UTF-8 byte order
        // mark, or UTF-16/32 text, which has NUL bytes, is left to the parser.)
        let body = bytes.starts(with: [0xef, 0xbb, 0xbf]) ? Array(bytes.dropFirst(3)) : bytes
        if !body.contains(0) {
            let first = body.first { ![0x20, 0x09, 0x0a, 0x0d].contains($0) }
            require(first == UInt8(ascii: "{"), "a result from a body that is not a JSON object: \(text(bytes).debugDescription)")
        }
        guard case .object(let members) = try? JSONValueParser.parse(bytes) else {
            require(false, "a result from a body the JSON parser does not read as an object")
            return
        }
        switch outcome {
        case .inactive(.notActive):
            require(members["active"] == .bool(false), "inactive without \"active\": false")
        case .inactive(let reason):
            require(members["active"] == .bool(true), "\(reason) without \"active\": true")
            let expired = (members["exp"]?.numericValue).map { $0 <= now } ?? false
            let early = (members["nbf"]?.numericValue).map { $0 > now + clockSkew } ?? false
            require(expired || early, "\(reason), but exp and nbf allow the token now")
        case .active(let claims):
            require(members["active"] == .bool(true), "active without \"active\": true")
            require(claims["active"] == nil, "the claims keep \"active\"")
            if let expiresAt = claims.expiresAt { require(expiresAt > now, "active with exp \(expiresAt) <= now") }
            if let notBefore = claims.notBefore { require(notBefore <= now + clockSkew, "active with nbf beyond the clock skew") }
            for name in ["exp", "nbf", "iat"] where claims[name] != nil {
                require(claims[name]?.numericValue != nil, "active with a non-numeric \(name)")
            }
            require(IntrospectionAnswer.check(claims, now: now, clockSkew: clockSkew) == .active(claims), "a cache hit would judge the claims differently")
            checkIssuedJWT(for: claims)
        }
    }

    /// The JWT the upstream would get: ours, and the provider's claims unchanged in it.
    static func checkIssuedJWT(for claims: TokenClaims) {
        guard let jwt = try? issuer.issue(for: claims, now: now) else {
            require(false, "HS256 signing failed")
            return
        }
        guard let payload = signer.verifiedPayload(of: jwt.compact), case .object(let signed)? = try? JSONValueParser.parse(payload) else {
            require(false, "the JWT issued for active claims does not verify or is not a JSON object")
            return
        }
        for (name, value) in claims.members where !["iat", "exp", "jti"].contains(name) {
            guard let copy = signed[name] else {
                require(false, "the JWT lost the claim \(name.debugDescription)")
                return
            }
            require(sameJSON(copy, value), "the JWT changed the claim \(name.debugDescription): \(value) became \(copy)")
        }
        require(signed["exp"]?.numericValue == jwt.expiresAt && jwt.expiresAt <= now + 300, "the JWT's exp is not the one reported, or outlives JWT_TTL")
        if let tokenExpiry = claims.expiresAt { require(jwt.expiresAt <= tokenExpiry, "the JWT outlives the token") }
        let verifier = PassthroughVerifier(signer: signer, issuer: nil, clockSkew: .seconds(30))
        if jwt.expiresAt > now, (claims.notBefore ?? now) <= now + clockSkew {
            require(verifier.verify(jwt.compact, now: now) != nil, "a JWT we just issued is refused by passthrough verification")
        }
    }

    /// JSON values that mean the same: numbers compare by value (2 and 2.0 are one number).
    static func sameJSON(_ a: JSONValue, _ b: JSONValue) -> Bool {
        switch (a, b) {
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy(sameJSON)
        case (.object(let x), .object(let y)):
            return x.count == y.count && x.allSatisfy { key, value in y[key].map { sameJSON(value, $0) } ?? false }
        default:
            if let x = a.numericValue, let y = b.numericValue { return x == y }
            return a == b
        }
    }
}
