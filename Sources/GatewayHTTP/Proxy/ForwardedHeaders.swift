import GatewayCore
import HTTPTypes
import NIOHTTP1

/// Which headers cross the proxy, each way.
///
/// Both ways, hop-by-hop headers stay behind (RFC 9110 §7.6.1): `Connection` and every header it
/// names, `Keep-Alive`, `TE`, `Trailer`, `Transfer-Encoding`, `Upgrade` and `Proxy-*`; the
/// framing is each connection's own. Toward the destination also: `Host` (it names the
/// destination), the Destination header, `Authorization` (unless `FORWARD_AUTHORIZATION`), and any
/// client-sent header a grant travels in (the JWT, `X-Auth-*`), replaced by the grant's own.
/// `X-Forwarded-For/-Proto/-Host` get this hop appended; as with any proxy, a destination should
/// trust only the last entry of each.
struct ForwardedHeaders: Sendable {
    static let hopByHop: Set<String> = ["connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade"]

    /// Lower-cased names of the headers removed from every request on top of the hop-by-hop ones.
    private let removedFromRequests: Set<String>

    init(destinationHeader: String, forwardsAuthorization: Bool, grantHeaderNames: [String]) {
        var removed: Set<String> = ["host", "content-length", destinationHeader.lowercased()]
        if !forwardsAuthorization { removed.insert("authorization") }
        for name in grantHeaderNames { removed.insert(name.lowercased()) }
        removedFromRequests = removed
    }

    /// The headers of the forwarded request.
    /// - Parameters:
    ///   - authority: the `Host` the client sent (for `X-Forwarded-Host`)
    ///   - clientAddress: the client's IP address (for `X-Forwarded-For`)
    ///   - grantHeaders: the JWT and identity headers, as a 200 from `/auth` carries them
    func request(
        _ fields: HTTPFields, destination: DestinationOrigin, authority: String?, clientAddress: String?,
        grantHeaders: [(name: String, value: String)]
    ) -> HTTPHeaders {
        let options = Self.connectionOptions(fields[values: .connection])
        var headers = HTTPHeaders()
        headers.reserveCapacity(fields.count + grantHeaders.count + 4)
        headers.add(name: "Host", value: destination.authority)
        for field in fields {
            let name = field.name.canonicalName
            if Self.isHopByHop(name, options: options) || removedFromRequests.contains(name) { continue }
            headers.add(name: field.name.rawName, value: field.value)
        }
        if let clientAddress { Self.append(clientAddress, to: "X-Forwarded-For", in: &headers) }
        Self.append("http", to: "X-Forwarded-Proto", in: &headers)
        if let authority { Self.append(authority, to: "X-Forwarded-Host", in: &headers) }
        for (name, value) in grantHeaders { headers.add(name: name, value: value) }
        return headers
    }

    /// The destination's response headers for the client: all but the hop-by-hop ones.
    static func response(_ headers: HTTPHeaders) -> HTTPFields {
        let options = connectionOptions(headers["connection"])
        var fields = HTTPFields()
        fields.reserveCapacity(headers.count)
        for (name, value) in headers {
            guard let fieldName = HTTPField.Name(name), !isHopByHop(fieldName.canonicalName, options: options) else { continue }
            fields.append(HTTPField(name: fieldName, value: value))
        }
        return fields
    }

    /// The header names a `Connection` header lists, lower-cased.
    static func connectionOptions(_ values: some Sequence<String>) -> Set<String> {
        var options = Set<String>()
        for value in values {
            for option in value.split(separator: ",") {
                let start = option.drop { $0 == " " || $0 == "\t" }
                guard let last = start.lastIndex(where: { $0 != " " && $0 != "\t" }) else { continue }
                options.insert(start[...last].lowercased())
            }
        }
        return options
    }

    static func isHopByHop(_ canonicalName: String, options: Set<String>) -> Bool {
        hopByHop.contains(canonicalName) || canonicalName.hasPrefix("proxy-") || options.contains(canonicalName)
    }

    /// Appends a value to a list header (`a, b` + `c` → `a, b, c`), as one field.
    private static func append(_ value: String, to name: String, in headers: inout HTTPHeaders) {
        let existing = headers[name]
        headers.remove(name: name)
        headers.add(name: name, value: (existing + [value]).joined(separator: ", "))
    }
}
