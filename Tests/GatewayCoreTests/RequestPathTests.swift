import Testing

@testable import GatewayCore

@Suite struct RequestPathTests {
    func normalized(_ target: String, lowercased: Bool = false) -> String? {
        try? RequestPath.normalize(target, lowercased: lowercased).get().description
    }

    func refusal(_ target: String) -> String? {
        if case .failure(let refusal) = RequestPath.normalize(target) { return refusal.description }
        return nil
    }

    @Test(arguments: [
        ("/admin", "/admin"),
        ("/admin/", "/admin"),
        ("//admin//", "/admin"),
        ("/./admin/.", "/admin"),
        ("/admin/../admin", "/admin"),
        ("/public/../admin/users", "/admin/users"),
        ("/public/%2e%2e/admin", "/admin"),
        ("/public/.%2E/admin", "/admin"),
        ("/%61dmin", "/admin"),
        ("/%41dmin", "/Admin"),
        ("/admin?x=/public", "/admin"),
        ("/admin/..?/admin", "/"),
        ("/", "/"),
        ("/?", "/"),
        ("/a/b/c/../../d", "/a/d"),
        ("/caf%C3%A9", "/café"),
        ("/caf%c3%a9/", "/café"),
        ("/a%20b", "/a b"),
        ("/a+b", "/a+b"),
        ("/...", "/..."),
        ("http://example.com/admin/../x", "/x"),
        ("HTTPS://example.com", "/"),
        ("https://example.com?q", "/"),
    ])
    func spellingsOfAPathNormaliseToOne(_ target: String, _ expected: String) {
        #expect(normalized(target) == expected, "\(target)")
    }

    @Test(arguments: [
        ("/admin%2Fsecret", "an encoded '/' inside a segment"),
        ("/admin%2fsecret", "an encoded '/' inside a segment"),
        ("/admin%00", "a control character"),
        ("/admin\u{0}", "a control character"),
        ("/admin%0d%0aX: y", "a control character"),
        ("/..", "'..' above the root"),
        ("/a/../../etc/passwd", "'..' above the root"),
        ("/%2e%2e/admin", "'..' above the root"),
        ("/admin%5c..%5cpublic", "a backslash"),
        ("/admin\\..\\public", "a backslash"),
        ("/admin;jsessionid=1", "a path parameter (';')"),
        ("/public/..;/admin", "a path parameter (';')"),
        ("/public/%252e%252e/admin", "a double-encoded escape"),
        ("/admin%25%32%66x", "a double-encoded escape"),
        ("/admin%", "malformed percent-escape"),
        ("/admin%2", "malformed percent-escape"),
        ("/admin%zz", "malformed percent-escape"),
        ("/%C0%AE%C0%AE/admin", "bytes that are not UTF-8"),
        ("/%FF", "bytes that are not UTF-8"),
        ("/admin#frag", "a fragment"),
        ("admin", "not a path"),
        ("*", "not a path"),
        ("", "not a path"),
    ])
    func pathsUpstreamsReadDifferentlyAreRefused(_ target: String, _ reason: String) {
        #expect(refusal(target) == reason, "\(target)")
    }

    @Test func caseIsFoldedOnlyWhenAsked() {
        #expect(normalized("/ADMIN/%41") == "/ADMIN/A")
        #expect(normalized("/ADMIN/%41", lowercased: true) == "/admin/a")
        #expect(normalized("/ÉTÉ", lowercased: true) == "/ÉtÉ", "only ASCII letters are folded")
    }
}
