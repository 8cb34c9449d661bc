/// The Destination proxy's settings: a second listener (`PROXY_PORT` on `HOST`) that forwards
/// allowed requests to the origin their `Destination` header names, if `DESTINATION_ALLOWLIST`
/// lists it.
public struct ProxySettings: Sendable {
    /// Connections kept open (and in use) per destination; further requests wait for one.
    public static let connectionsPerDestination = 64

    /// `PROXY_PORT`.
    public var port: Int
    /// `DESTINATION_ALLOWLIST`.
    public var allowlist: DestinationAllowlist
    /// `DESTINATION_HEADER` (default `Destination`).
    public var destinationHeader: String
    /// `FORWARD_AUTHORIZATION`: keep the client's `Authorization` header on the forwarded request.
    public var forwardsAuthorization: Bool
    /// `SSL_SECURE`: verify destinations' certificates.
    public var verifiesCertificates: Bool
    /// `PROXY_CA_FILE`: extra trusted roots (PEM) for destinations.
    public var caFile: String?
    /// `PROXY_TIMEOUT`: bounds connecting to a destination and each wait for its next bytes.
    public var timeout: Duration

    public init(
        port: Int, allowlist: DestinationAllowlist, destinationHeader: String = "Destination", forwardsAuthorization: Bool = false,
        verifiesCertificates: Bool = true, caFile: String? = nil, timeout: Duration = .seconds(60)
    ) {
        self.port = port
        self.allowlist = allowlist
        self.destinationHeader = destinationHeader
        self.forwardsAuthorization = forwardsAuthorization
        self.verifiesCertificates = verifiesCertificates
        self.caFile = caFile
        self.timeout = timeout
    }
}
