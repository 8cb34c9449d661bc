import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A live gateway with its Destination proxy on, a development identity provider, and an
/// `EchoUpstream` as the allowlisted destination, all on loopback.
struct ProxyStack {
    let stack: LiveStack
    let upstream: EchoUpstream
    let upstreamPort: Int

    var proxyPort: Int { stack.proxyPort! }
    /// The upstream's origin, as a Destination header names it.
    var destination: String { "http://127.0.0.1:\(upstreamPort)" }

    /// `variables` may use the upstream's port (e.g. for `DESTINATION_ALLOWLIST`); by default
    /// the allowlist names the upstream alone.
    static func run(
        _ variables: @escaping (Int) -> [String: String] = { _ in [:] }, _ body: (ProxyStack) async throws -> Void
    ) async throws {
        try await EchoUpstream.run { upstream, port in
            // Three servers per test and a test that moves 400 MB share two cores: the provider
            // gets more time than LiveStack's 500 ms, these tests are not about its timeouts.
            let defaults = ["PROXY_PORT": "0", "DESTINATION_ALLOWLIST": "http://127.0.0.1:\(port)", "INTROSPECTION_TIMEOUT": "5s"]
            try await LiveStack.run(defaults.merging(variables(port)) { _, new in new }) { stack in
                try await body(ProxyStack(stack: stack, upstream: upstream, upstreamPort: port))
            }
        }
    }

    /// What a request says in its Destination header.
    enum DestinationHeader {
        case upstream
        case absent
        case value(String)
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A request to the proxy listener with a Destination header and a bearer token (nil: none).
    func send(
        _ method: HTTPMethod = .GET, _ target: String = "/", to destination: DestinationHeader = .upstream, token: String?,
        headers: [(String, String)] = [], body: String? = nil
    ) async throws -> LiveStack.Answer {
        var all = headers
        switch destination {
        case .upstream: all.append(("Destination", self.destination))
        case .value(let value): all.append(("Destination", value))
        case .absent: break
        }
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        return try await stack.request(method, target, headers: all, body: body, port: proxyPort)
    }

    /// A request to the proxy for the upstream with a bearer token, to stream a body with.
    func request(_ method: HTTPMethod, _ target: String, token: String) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(proxyPort)\(target)")
        request.method = method
        request.headers.add(name: "Destination", value: destination)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        return request
    }

    /// Resident memory of this process (the gateway, the upstream and the client all live in it).
    static func residentBytes() throws -> Int {
        let status = try String(contentsOfFile: "/proc/self/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kilobytes = Int(line.split(whereSeparator: { $0 == " " || $0 == "\t" })[1])
        else { throw Failure(description: "no VmRSS in /proc/self/status") }
        return kilobytes * 1024
    }
}

/// A loopback port that refuses connections for as long as it is held: bound but never
/// listening, so no other test's server can take it (as one could a port closed after use).
struct ReservedPort {
    let port: Int
    private let descriptor: Int32

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard descriptor >= 0, bound else { throw ProxyStack.Failure(description: "cannot reserve a loopback port") }
        self.descriptor = descriptor
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func release() {
        close(descriptor)
    }
}
