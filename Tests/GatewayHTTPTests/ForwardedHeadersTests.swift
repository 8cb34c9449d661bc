import GatewayCore
import HTTPTypes
import NIOHTTP1
import Testing

@testable import GatewayHTTP

/// Which headers cross the proxy, as plain values.
@Suite struct ForwardedHeadersTests {
    static let destination = try! Destination.parse("https://api.example.com").origin

    static func fields(_ pairs: [(String, String)]) -> HTTPFields {
        var fields = HTTPFields()
        for (name, value) in pairs { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        return fields
    }

    @Test func forwardedHeadersAreAppendedToWhatTheClientSent() {
        let rules = ForwardedHeaders(destinationHeader: "Destination", forwardsAuthorization: false, grantHeaderNames: ["X-JWT"])
        let headers = rules.request(
            Self.fields([("X-Forwarded-For", "203.0.113.7"), ("X-Forwarded-For", "10.0.0.1"), ("X-Forwarded-Proto", "https")]),
            destination: Self.destination, authority: "gateway.example:8081", clientAddress: "192.0.2.1", grantHeaders: [])
        #expect(headers["X-Forwarded-For"] == ["203.0.113.7, 10.0.0.1, 192.0.2.1"])
        #expect(headers["X-Forwarded-Proto"] == ["https, http"])
        #expect(headers["X-Forwarded-Host"] == ["gateway.example:8081"])
        #expect(headers["Host"] == ["api.example.com"])
    }

    @Test func connectionOptionsAreReadWhateverTheirCaseAndSpacing() {
        #expect(ForwardedHeaders.connectionOptions(["keep-alive ,  X-Private", "\tX-Other\t,,"]) == ["keep-alive", "x-private", "x-other"])
        let rules = ForwardedHeaders(destinationHeader: "X-Destination", forwardsAuthorization: true, grantHeaderNames: ["X-JWT", "X-Auth-Subject"])
        let headers = rules.request(
            Self.fields([
                ("Connection", "X-PRIVATE"), ("x-private", "1"), ("Proxy-Anything", "1"), ("x-destination", "https://api.example.com"),
                ("x-jwt", "forged"), ("X-AUTH-SUBJECT", "admin"), ("Authorization", "Bearer abc"), ("Content-Length", "5"), ("Accept", "*/*"),
            ]),
            destination: Self.destination, authority: nil, clientAddress: nil,
            grantHeaders: [(name: "X-JWT", value: "signed"), (name: "X-Auth-Subject", value: "alice")])
        #expect(headers.map(\.name) == ["Host", "Authorization", "Accept", "X-Forwarded-Proto", "X-JWT", "X-Auth-Subject"])
        #expect(headers["X-JWT"] == ["signed"] && headers["X-Auth-Subject"] == ["alice"])
    }

    @Test func theDestinationsHopByHopHeadersStayBehind() {
        let fields = ForwardedHeaders.response(HTTPHeaders([
            ("Connection", "close, X-Private"), ("X-Private", "1"), ("Keep-Alive", "timeout=5"), ("Transfer-Encoding", "chunked"),
            ("Trailer", "X-Sum"), ("Upgrade", "h2c"), ("Proxy-Authenticate", "Basic"), ("Content-Length", "12"), ("Set-Cookie", "a=1"),
            ("Set-Cookie", "b=2"),
        ]))
        #expect(fields.map(\.name.rawName) == ["Content-Length", "Set-Cookie", "Set-Cookie"])
    }
}
