extension GatewayConfiguration {
    /// How a 200 carries the identity: a signed JWT (HS256 with a secret, or ES256/RS256/EdDSA
    /// with a private key whose public half is published as a JWKS) and plain claim headers.
    public struct Signing: Sendable {
        /// `JWT_HEADER_NAME`; nil: no JWT is issued.
        public var headerName: String?
        /// `JWT_SECRET`: HS256.
        public var secret: Secret?
        public var ttl: Duration
        /// `JWT_ISSUER`: our `iss`.
        public var issuer: String?
        /// `JWT_AUDIENCE`: our `aud`.
        public var audience: String?
        /// `JWT_CLAIMS`: the introspection claims copied into the JWT; nil: all of them.
        public var claims: [String]?
        /// `JWT_PRIVATE_KEY` and `JWT_PREVIOUS_PUBLIC_KEY_FILE`, loaded.
        public var keys: SigningKeys?
        /// `JWT_PRIVATE_KEY_FILE`: read again on a reload (an inline `JWT_PRIVATE_KEY` is not).
        public var privateKeyFile: String?
        /// `JWT_PREVIOUS_PUBLIC_KEY_FILE`, split: read again on a reload.
        public var previousKeyPaths: [String]
        /// `CLAIM_HEADERS`.
        public var claimHeaders: [ClaimHeader]

        public init(
            headerName: String? = nil, secret: Secret? = nil, ttl: Duration = .seconds(300), issuer: String? = nil,
            audience: String? = nil, claims: [String]? = nil, keys: SigningKeys? = nil, privateKeyFile: String? = nil,
            previousKeyPaths: [String] = [], claimHeaders: [ClaimHeader] = []
        ) {
            self.headerName = headerName
            self.secret = secret
            self.ttl = ttl
            self.issuer = issuer
            self.audience = audience
            self.claims = claims
            self.keys = keys
            self.privateKeyFile = privateKeyFile
            self.previousKeyPaths = previousKeyPaths
            self.claimHeaders = claimHeaders
        }
    }

    static func parseSigning(_ reader: inout ConfigurationReader, warnings: inout [String]) -> Signing {
        let headerName = reader.string("JWT_HEADER_NAME")
        if let headerName, !ConfigurationValue.isHeaderName(headerName) {
            reader.problem("JWT_HEADER_NAME", "'\(headerName)' is not a valid HTTP header name")
        }
        let secret = reader.fileBacked("JWT_SECRET", required: false).map(Secret.init)
        let privateKeyFile = reader.string("JWT_PRIVATE_KEY_FILE")
        let privateKeyText = reader.fileBacked("JWT_PRIVATE_KEY", required: false)
        var privateKey: SigningKey?
        if let privateKeyText {
            do throws(KeyProblem) {
                privateKey = try SigningKey(pem: privateKeyText)
            } catch {
                if let privateKeyFile {
                    reader.problem("JWT_PRIVATE_KEY_FILE", "'\(privateKeyFile)' \(error)")
                } else {
                    reader.problem("JWT_PRIVATE_KEY", "\(error)")
                }
            }
        }
        if secret != nil, privateKeyText != nil {
            reader.problem("JWT_SECRET", "set either JWT_SECRET (HS256) or JWT_PRIVATE_KEY_FILE (ES256, RS256 or EdDSA), not both")
        } else if let secret, secret.byteCount < 32 {
            reader.problem("JWT_SECRET", "is \(secret.byteCount) bytes long; use at least 32 random bytes (e.g. `openssl rand -base64 48`)")
        } else if headerName != nil, secret == nil, privateKeyText == nil, privateKeyFile == nil {
            reader.problem(
                "JWT_SECRET",
                "JWT_HEADER_NAME needs a signing key (there is no default): JWT_PRIVATE_KEY_FILE with a PEM key (ES256, RS256 or EdDSA; "
                    + "upstreams verify with /.well-known/jwks.json) or JWT_SECRET with at least 32 random bytes (HS256)")
        }
        if headerName == nil, secret != nil || privateKeyText != nil {
            warnings.append("\(secret != nil ? "JWT_SECRET" : "JWT_PRIVATE_KEY") is set but JWT_HEADER_NAME is not: no JWT is issued")
        }

        let previousKeyPaths = reader.string("JWT_PREVIOUS_PUBLIC_KEY_FILE").map(SigningKeys.paths(from:)) ?? []
        var previousKeys: [VerificationKey] = []
        if !previousKeyPaths.isEmpty {
            if privateKeyText == nil {
                reader.problem("JWT_PREVIOUS_PUBLIC_KEY_FILE", "keeps earlier public keys of JWT_PRIVATE_KEY_FILE through a rotation; it needs JWT_PRIVATE_KEY_FILE")
            }
            let environment = reader.environment
            let loaded = SigningKeys.loadPublicKeys(from: previousKeyPaths) { try environment.contents(ofFile: $0) }
            for problem in loaded.problems { reader.problem("JWT_PREVIOUS_PUBLIC_KEY_FILE", problem) }
            previousKeys = loaded.keys
        }

        let ttl = reader.duration("JWT_TTL", default: .seconds(300), minimum: .seconds(1))
        let issuer = reader.string("JWT_ISSUER")
        let audience = reader.string("JWT_AUDIENCE")
        var claims: [String]?
        if let text = reader.string("JWT_CLAIMS") {
            let names = text.split(separator: ",").map { String($0.filter { $0 != " " }) }.filter { !$0.isEmpty }
            if names.isEmpty { reader.problem("JWT_CLAIMS", "names no claim; list claims such as sub,scope,client_id, or leave it unset for all") }
            claims = names
            let passthrough = reader.string("ALLOW_JWT_PASSTHROUGH").flatMap(ConfigurationValue.boolean) == true
            if passthrough, !names.contains("scope") {
                warnings.append("JWT_CLAIMS leaves out scope: passthrough JWTs carry no scopes, so routes that require scopes refuse them")
            }
        }
        var claimHeaders: [ClaimHeader] = []
        if let text = reader.string("CLAIM_HEADERS") {
            switch ClaimHeader.parseList(text) {
            case .success(let mappings):
                let builtIn: Set<String> = [
                    "content-length", "content-type", "cache-control", "connection", "transfer-encoding", "www-authenticate",
                    "set-cookie", "authorization", "host", "x-auth-subject", "x-auth-scope", "x-auth-client-id",
                ]
                let reserved = builtIn.union(headerName.map { [$0.lowercased()] } ?? [])
                for mapping in mappings where reserved.contains(mapping.header.lowercased()) {
                    reader.problem("CLAIM_HEADERS", "'\(mapping.header)' is a header the gateway sets itself (or HTTP reserves); choose another name")
                }
                claimHeaders = mappings
            case .failure(let problems):
                for problem in problems.messages { reader.problem("CLAIM_HEADERS", problem) }
            }
        }
        return Signing(
            headerName: headerName, secret: secret, ttl: ttl, issuer: issuer, audience: audience, claims: claims,
            keys: privateKey.map { SigningKeys(current: $0, previous: previousKeys) }, privateKeyFile: privateKeyFile,
            previousKeyPaths: previousKeyPaths, claimHeaders: claimHeaders)
    }
}
