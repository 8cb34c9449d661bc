import Testing

@testable import GatewayCore

/// `DESTINATION_ALLOWLIST` entries and `Destination` headers: one strict reading for both, and
/// matching after normalisation.
@Suite struct DestinationAllowlistTests {
    static func allowlist(_ text: String) throws -> DestinationAllowlist {
        let parsed = DestinationAllowlist.parse(text)
        #expect(parsed.problems.isEmpty, "\(parsed.problems)")
        return parsed.allowlist
    }

    /// Whether the allowlist lets a Destination header value through; nil when the value is malformed.
    static func allows(_ allowlist: DestinationAllowlist, _ destination: String) -> Bool? {
        guard let parsed = try? Destination.parse(destination) else { return nil }
        return allowlist.allows(parsed.origin)
    }

    static func reason(_ destination: String) -> DestinationError.Reason? {
        do {
            _ = try Destination.parse(destination)
            return nil
        } catch {
            return error.reason
        }
    }

    @Test func hostsAreNormalisedCaseTrailingDotAndDefaultPort() throws {
        let list = try Self.allowlist("https://API.Example.com., http://10.0.0.5:8080")
        for allowed in ["https://api.example.com", "HTTPS://API.EXAMPLE.COM", "https://api.example.com.", "https://api.example.com:443",
                        "https://api.example.com/", "http://10.0.0.5:8080", "HTTP://10.0.0.5:8080/base"] {
            #expect(Self.allows(list, allowed) == true, "\(allowed)")
        }
        let origin = try Destination.parse("HTTPS://Api.Example.COM.:443/").origin
        #expect(origin.host == "api.example.com" && origin.port == 443 && origin.description == "https://api.example.com")
        #expect(try Destination.parse("http://10.0.0.5:8080").origin.authority == "10.0.0.5:8080")
        #expect(list.description == "https://api.example.com, http://10.0.0.5:8080")
    }

    @Test func schemeAndPortMustBeTheListedOnes() throws {
        let list = try Self.allowlist("https://api.example.com,http://10.0.0.5:8080")
        for denied in ["http://api.example.com", "https://api.example.com:8443", "http://10.0.0.5", "http://10.0.0.5:8081",
                       "https://10.0.0.5:8080", "http://api.example.com:443"] {
            #expect(Self.allows(list, denied) == false, "\(denied)")
        }
    }

    @Test func lookAlikeHostsAreNotTheListedHost() throws {
        let list = try Self.allowlist("https://api.example.com")
        for denied in ["https://api.example.com.evil.test", "https://evilapi.example.com", "https://api-example.com",
                       "https://example.com", "https://sub.api.example.com", "https://api.example.co", "https://xn--pi-example-com.test"] {
            #expect(Self.allows(list, denied) == false, "\(denied)")
        }
        // What URL parsers read differently is refused outright, never matched.
        #expect(Self.reason("https://api.example.com@evil.test") == .userinfo)
        #expect(Self.reason("https://evil.test@api.example.com") == .userinfo)
        #expect(Self.reason("https://user:password@api.example.com") == .userinfo)
        #expect(Self.reason("https://api.example.com:443@evil.test") == .userinfo)
        #expect(Self.reason("https://api.example.com\\@evil.test") == .malformed)
        #expect(Self.reason("https://api.example.com%2eevil.test") == .malformed)
        #expect(Self.reason("https://api.example.com%00.evil.test") == .malformed)
        #expect(Self.reason("https://api.example.com .evil.test") == .malformed)
        #expect(Self.reason("https://api.example.com\t") == .malformed)
        #expect(Self.reason("https://evil.test#@api.example.com") == .queryOrFragment)
        #expect(Self.reason("https://evil.test?@api.example.com") == .queryOrFragment)
    }

    @Test func userinfoTricksWithLoopbackAreRefused() {
        #expect(Self.reason("http://127.0.0.1@internal.example.com") == .userinfo)
        #expect(Self.reason("http://internal.example.com@127.0.0.1:8080") == .userinfo)
        #expect(Self.reason("http://@127.0.0.1") == .userinfo)
    }

    @Test func wildcardPatternsMatchSubdomainsAtAnyDepthButNotTheDomainOrAddresses() throws {
        let list = try Self.allowlist("https://*.internal.example.com,http://*.svc.example.com:8080")
        for allowed in ["https://a.internal.example.com", "https://a.b.internal.example.com", "https://A.Internal.Example.Com.",
                        "http://orders.svc.example.com:8080"] {
            #expect(Self.allows(list, allowed) == true, "\(allowed)")
        }
        for denied in ["https://internal.example.com", "https://xinternal.example.com", "https://a.internal.example.com.evil.test",
                       "http://a.internal.example.com", "https://a.internal.example.com:8443", "http://orders.svc.example.com",
                       "https://a-internal.example.com"] {
            #expect(Self.allows(list, denied) == false, "\(denied)")
        }
        #expect(Self.reason("https://*.internal.example.com") == .wildcard, "a Destination names one host, not a pattern")
    }

    @Test func wildcardsNeverMatchIPAddresses() throws {
        let list = try Self.allowlist("http://*.0.0.1,http://*.example.com")
        #expect(Self.allows(list, "http://127.0.0.1") == false)
        #expect(Self.allows(list, "http://10.0.0.1") == false)
    }

    @Test func numericHostsMustBePlainIPv4() throws {
        let list = try Self.allowlist("http://127.0.0.1:8080")
        #expect(Self.allows(list, "http://127.0.0.1:8080") == true)
        for numeric in ["http://2130706433:8080", "http://0x7f.0.0.1:8080", "http://0x7f000001:8080", "http://127.1:8080",
                        "http://0177.0.0.1:8080", "http://127.0.0.01:8080", "http://127.0.0.256:8080", "http://1.2.3.4.5:8080"] {
            #expect(Self.reason(numeric) == .malformed, "\(numeric)")
        }
    }

    @Test func ipv6AddressesCompareInCanonicalForm() throws {
        let list = try Self.allowlist("http://[::1]:9000,https://[2001:DB8:0:0::1]")
        #expect(Self.allows(list, "http://[0:0:0:0:0:0:0:1]:9000") == true)
        #expect(Self.allows(list, "https://[2001:db8::1]:443") == true)
        #expect(Self.allows(list, "http://[::1]:9001") == false)
        #expect(Self.allows(list, "http://[::2]:9000") == false)
        #expect(try Destination.parse("http://[0::1]:9000").origin.authority == "[::1]:9000")
        for malformed in ["http://[::1", "http://[::1]x", "http://[fe80::1%25eth0]", "http://[::g]", "http://[127.0.0.1]", "http://::1"] {
            #expect(Self.reason(malformed) == .malformed, "\(malformed)")
        }
    }

    @Test func onlyHTTPAndHTTPSAreSchemes() {
        for other in ["ftp://api.example.com", "file:///etc/passwd", "gopher://127.0.0.1:25", "ws://api.example.com", "javascript://x"] {
            #expect(Self.reason(other) == .unsupportedScheme, "\(other)")
        }
        for relative in ["api.example.com", "/orders", "//api.example.com", "https:/api.example.com", "https:api.example.com", ""] {
            #expect(Self.reason(relative) != nil, "\(relative)")
        }
    }

    @Test func nonASCIIHostsAreRefusedWithTheirIDNAFormNamed() {
        do {
            _ = try Destination.parse("https://bücher.example")
            Issue.record("a non-ASCII host must be refused")
        } catch {
            #expect(error.reason == .nonASCIIHost)
            #expect(error.message.contains("xn--"))
        }
        #expect(DestinationAllowlist.parse("https://bücher.example").problems.first?.contains("IDNA") == true)
        #expect(Self.reason("https://xn--bcher-kva.example") == nil)
    }

    @Test func portsMustBeOneTo65535() {
        for bad in ["http://a.example:0", "http://a.example:65536", "http://a.example:", "http://a.example:http", "http://a.example:+80",
                    "http://a.example:080000", "http://a.example:1:2"] {
            #expect(Self.reason(bad) == .malformed, "\(bad)")
        }
        #expect((try? Destination.parse("http://a.example:65535"))?.origin.port == 65535)
    }

    @Test func hostNamesAreValidLabels() {
        for bad in ["http://", "http://.", "http://a..example", "http://a.exam ple", "http://" + String(repeating: "a", count: 64) + ".example"] {
            #expect(Self.reason(bad) == .malformed, "\(bad)")
        }
        // Internal names use underscores.
        #expect(Self.reason("http://orders_v2.internal.example:80") == nil)
    }

    @Test func destinationPathIsAPrefixAndTheRequestTargetFollowsAsItCame() throws {
        let plain = try Destination.parse("https://api.example.com")
        #expect(plain.url(forRequestTarget: "/example/path?x=1") == "https://api.example.com/example/path?x=1")
        let prefixed = try Destination.parse("http://10.0.0.5:8080/v2/")
        #expect(prefixed.pathPrefix == "/v2")
        #expect(prefixed.url(forRequestTarget: "/a%2Fb/c?q=%26") == "http://10.0.0.5:8080/v2/a%2Fb/c?q=%26")
        #expect(try Destination.parse("http://[::1]:9000").url(forRequestTarget: "/") == "http://[::1]:9000/")
        #expect(Self.reason("https://api.example.com/v2?x=1") == .queryOrFragment)
        #expect(Self.reason("https://api.example.com/ü") == .malformed)
    }

    @Test func badEntriesAreEachReportedWithTheirText() {
        let bad = [
            "ftp://files.example.com", "https://user@api.example.com", "https://api.example.com/path", "https://*", "https://*.com",
            "https://a.*.example.com", "https://foo*.example.com", "https://api.example.com?x",
        ]
        let parsed = DestinationAllowlist.parse((["https://ok.example.com"] + bad).joined(separator: ", "))
        #expect(parsed.allowlist.entries.map(\.description) == ["https://ok.example.com"])
        #expect(parsed.problems.count == bad.count, "\(parsed.problems)")
        for entry in bad {
            #expect(parsed.problems.contains { $0.hasPrefix("'\(entry)' ") }, "\(entry)")
        }
        #expect(parsed.problems.contains { $0.contains("top-level domain") })
    }

    @Test func anEmptyListIsAProblem() {
        #expect(DestinationAllowlist.parse(" , ").problems == ["names no destination; list origins such as https://api.example.com"])
    }

    @Test func entriesMaySeparateByCommasSpacesOrNewlines() throws {
        let list = try Self.allowlist("https://a.example.com,https://b.example.com\nhttps://c.example.com  https://d.example.com,")
        #expect(list.entries.count == 4)
    }

    @Test func onlyTargetsAURLCarriesUnchangedAreForwardable() {
        for target in ["/", "/a/b?x=1&y=%2F", "/a;p=1/b:c@d?q=/x?y", "/~user/!$&'()*+,="] {
            #expect(RequestTarget.isForwardable(target), "\(target)")
        }
        for target in ["", "*", "a/b", "http://x/", "/a|b", "/a b", "/{x}", "/%", "/%4", "/%zz", "/a#f", "/ü", "/a\\b", "/\"", "/<x>", "/a^b", "/`"] {
            #expect(!RequestTarget.isForwardable(target), "\(target)")
        }
    }
}
