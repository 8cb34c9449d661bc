import Foundation

extension ProxySettings {
    /// Reads `PROXY_PORT` and the variables that go with it; nil when the proxy is off. Every
    /// problem goes to `reader`, so it is reported with the rest of the configuration's.
    static func parse(
        _ reader: inout ConfigurationReader, verifiesCertificates: Bool, mainPort: Int, adminPort: Int?, jwtHeader: String?,
        warnings: inout [String]
    ) -> ProxySettings? {
        let port: Int? = reader.string("PROXY_PORT") == nil ? nil : reader.port("PROXY_PORT", default: 0)
        if let port, port != 0, port == mainPort || port == adminPort {
            reader.problem("PROXY_PORT", "\(port) is already PORT or ADMIN_PORT; the proxy needs a port of its own")
        }
        var allowlist = DestinationAllowlist([])
        if let text = reader.string("DESTINATION_ALLOWLIST") {
            let parsed = DestinationAllowlist.parse(text)
            for problem in parsed.problems { reader.problem("DESTINATION_ALLOWLIST", problem) }
            allowlist = parsed.allowlist
            if port == nil { warnings.append("DESTINATION_ALLOWLIST is set but PROXY_PORT is not: the proxy is off") }
        } else if port != nil {
            reader.problem(
                "DESTINATION_ALLOWLIST",
                "is required when PROXY_PORT is set: list the origins the proxy may reach, e.g. https://api.example.com,https://*.internal.example.com")
        }
        let header = reader.string("DESTINATION_HEADER") ?? "Destination"
        if !ConfigurationValue.isHeaderName(header) {
            reader.problem("DESTINATION_HEADER", "'\(header)' is not a valid HTTP header name")
        } else if ["authorization", "host", jwtHeader?.lowercased()].contains(header.lowercased()) {
            reader.problem("DESTINATION_HEADER", "'\(header)' already has a meaning here; choose another name")
        }
        let forwardsAuthorization = reader.boolean("FORWARD_AUTHORIZATION", default: false)
        let caFile = reader.string("PROXY_CA_FILE")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
            reader.problem("PROXY_CA_FILE", "cannot read '\(caFile)'")
        }
        let timeout = reader.duration("PROXY_TIMEOUT", default: .seconds(60), minimum: .milliseconds(10))
        guard let port else { return nil }
        if !verifiesCertificates {
            warnings.append("SSL_SECURE=false: destinations' TLS certificates are not verified either")
        }
        if forwardsAuthorization, allowlist.entries.contains(where: { $0.scheme == .http }) {
            warnings.append("FORWARD_AUTHORIZATION=true with http destinations: bearer tokens cross the network unencrypted")
        }
        return ProxySettings(
            port: port, allowlist: allowlist, destinationHeader: header, forwardsAuthorization: forwardsAuthorization,
            verifiesCertificates: verifiesCertificates, caFile: caFile, timeout: timeout)
    }
}
