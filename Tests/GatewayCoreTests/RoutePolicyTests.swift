import Foundation
import Testing

@testable import GatewayCore

@Suite struct RoutePolicyTests {
    static func policy(_ json: String) throws -> RoutePolicy {
        switch RoutePolicyFile.parse(json, file: "policy.json") {
        case .success(let policy): return policy
        case .failure(let problems): throw problems
        }
    }

    static func problems(_ json: String) -> [String] {
        if case .failure(let list) = RoutePolicyFile.parse(json, file: "policy.json") { return list.messages }
        Issue.record("expected the policy to be rejected")
        return []
    }

    /// The label of the rule that applies, or "refused: …".
    static func rule(_ policy: RoutePolicy, _ method: String?, _ uri: String?) -> String {
        switch policy.match(AuthRequest(authorization: .missing, originalMethod: method, originalURI: uri)) {
        case .matched(let requirement): requirement.label
        case .refused(let reason): "refused: \(reason)"
        }
    }

    @Test func patternsMatchExactOneSegmentOrAnyDepth() throws {
        let exact = try PathPattern("/orders/42")
        let one = try PathPattern("/orders/*")
        let middle = try PathPattern("/orders/*/items")
        let any = try PathPattern("/orders/**")
        let all = try PathPattern("/**")
        let root = try PathPattern("/")
        func path(_ text: String) -> RequestPath { try! RequestPath.normalize(text).get() }
        #expect(exact.matches(path("/orders/42")) && exact.matches(path("/orders/42/")) && !exact.matches(path("/orders/42/x")))
        #expect(one.matches(path("/orders/42")) && !one.matches(path("/orders")) && !one.matches(path("/orders/42/items")))
        #expect(middle.matches(path("/orders/7/items")) && !middle.matches(path("/orders/7/notes")))
        #expect(any.matches(path("/orders")) && any.matches(path("/orders/1/2/3")) && !any.matches(path("/ordersx")) && !any.matches(path("/")))
        #expect(all.matches(path("/")) && all.matches(path("/anything/at/all")))
        #expect(root.matches(path("/")) && !root.matches(path("/x")))
    }

    @Test func badPatternsSayWhatIsWrong() {
        let cases: [(String, String)] = [
            ("orders", "must start with '/'"), ("/orders*", "whole segments"), ("/**/x", "may only be the last"),
            ("/a//b", "empty segment"), ("/a/../b", "'..' segment"), ("/a%2Fb", "decoded"), ("/a?x=1", "'?'"), ("/a;b", "';'"),
        ]
        for (text, expected) in cases {
            do throws(PathPattern.Problem) {
                _ = try PathPattern(text)
                Issue.record("\(text) was accepted")
            } catch {
                #expect(error.description.contains(expected), "\(text): \(error)")
            }
        }
    }

    @Test func theFirstMatchingRuleWinsElseTheDefault() throws {
        let policy = try Self.policy("""
            {"rules": [
              {"path": "/orders/export", "deny": true, "description": "not yet"},
              {"path": "/orders/**", "methods": ["GET"], "all_scopes": ["orders:read"]},
              {"path": "/orders/**", "methods": ["post", "DELETE"], "all_scopes": ["orders:write"]},
              {"path": "/**", "methods": ["OPTIONS"], "anonymous": true}
            ], "default": {"any_scopes": ["basic"]}}
            """)
        #expect(Self.rule(policy, "GET", "/orders/export") == #"rules[0] "/orders/export" (not yet)"#)
        #expect(Self.rule(policy, "GET", "/orders/1") == #"rules[1] "/orders/**""#)
        #expect(Self.rule(policy, "HEAD", "/orders/1") == #"rules[1] "/orders/**""#, "GET brings HEAD")
        #expect(Self.rule(policy, "delete", "/orders/1") == #"rules[2] "/orders/**""#, "methods ignore case")
        #expect(Self.rule(policy, "POST", "/orders") == #"rules[2] "/orders/**""#)
        #expect(Self.rule(policy, "PATCH", "/orders/1") == "default")
        #expect(Self.rule(policy, "OPTIONS", "/orders/1") == #"rules[3] "/**""#)
        #expect(Self.rule(policy, "GET", "/other") == "default")
        #expect(policy.defaultRequirement.anyScopes == ["basic"])
        #expect(policy.rules[2].methods == ["POST", "DELETE"], "only GET brings HEAD")
    }

    @Test func noSpellingOfAPathStepsAroundItsRule() throws {
        let policy = try Self.policy(#"{"rules": [{"path": "/admin/**", "all_scopes": ["admin"]}, {"path": "/**", "anonymous": true}]}"#)
        for uri in ["/admin", "/admin/", "/admin/../admin", "//admin", "/./admin", "/%61dmin", "/public/../admin/x", "/public/%2e%2e/admin",
                    "/admin?debug=1", "http://host/admin"] {
            #expect(Self.rule(policy, "GET", uri) == #"rules[0] "/admin/**""#, "\(uri)")
        }
        for uri in ["/admin%2Fx", "/..", "/admin%00", "/public/..;/admin", "/public/%252e%252e/admin", "/admin;x"] {
            #expect(Self.rule(policy, "GET", uri).hasPrefix("refused: the path cannot be normalised safely"), "\(uri)")
        }
        #expect(Self.rule(policy, "GET", "/ADMIN") == #"rules[1] "/**""#, "case matters unless ignore_case")
        let folded = try Self.policy(#"{"ignore_case": true, "rules": [{"path": "/Admin/**", "all_scopes": ["admin"]}]}"#)
        #expect(Self.rule(folded, "GET", "/ADMIN/x") == #"rules[0] "/Admin/**""#)
        #expect(Self.rule(folded, "GET", "/%41dmin") == #"rules[0] "/Admin/**""#)
    }

    @Test func anUnknownOrAmbiguousOriginalRequestIsRefused() throws {
        let policy = try Self.policy(#"{"rules": [{"path": "/orders/**", "methods": ["GET"], "anonymous": true}]}"#)
        #expect(Self.rule(policy, "GET", nil).hasPrefix("refused: the original URI is unknown"))
        #expect(Self.rule(policy, nil, "/orders").hasPrefix("refused: the original method is unknown"))
        let conflicting = AuthRequest(authorization: .missing, originalMethod: "GET", originalURI: "/orders", hasConflictingOriginal: true)
        guard case .refused = policy.match(conflicting) else {
            Issue.record("conflicting headers must be refused")
            return
        }
        let noMethods = try Self.policy(#"{"rules": [{"path": "/orders/**", "anonymous": true}]}"#)
        #expect(Self.rule(noMethods, nil, "/orders") == #"rules[0] "/orders/**""#, "a method is needed only when rules name methods")
        #expect(Self.rule(.none, nil, nil) == "default", "without rules the path is not looked at")
    }

    @Test func everyProblemInAPolicyFileIsListedWithItsPlace() {
        let found = Self.problems("""
            {"rules": [
              {"path": "/ok", "all_scopes": ["read"]},
              {"path": "orders"},
              {"methods": ["GET"], "scope": "read"},
              {"path": "/a", "anonymous": true, "all_scopes": ["x"]},
              {"path": "/b", "deny": "yes"},
              {"path": "/c", "any_scopes": [], "methods": ["GE T"]},
              {"path": "/d", "audience": 42, "all_scopes": ["has space", 7]},
              {"path": "/ok", "all_scopes": ["write"]},
              "not an object"
            ], "default": {"path": "/x", "deny": true}, "extra": 1}
            """)
        let expected = [
            "\"extra\" is not a known field", "rules[1].path: 'orders' must start with '/'", "rules[2].path: is required",
            "rules[2].scope: is not a known field (did you mean all_scopes or any_scopes?)",
            "rules[3]: an anonymous rule cannot require scopes", "rules[4].deny: must be true or false",
            "rules[5].methods[0]: 'GE T' is not an HTTP method", "rules[5].any_scopes: must be a non-empty array",
            "rules[6].all_scopes[0]: 'has space' is not a scope", "rules[6].all_scopes[1]: must be a string",
            "rules[6].audience: must be a non-empty string", "rules[7]: never applies, rules[0] has the same path and methods",
            "rules[8]: must be an object", "default.path: the default applies to every request",
        ]
        for message in expected {
            #expect(found.contains { $0.hasPrefix(message) }, "missing: \(message)\nfound:\n\(found.joined(separator: "\n"))")
        }
        #expect(found.count == expected.count, "\(found.joined(separator: "\n"))")
    }

    @Test func syntaxErrorsAndWrongShapesAreExplained() {
        #expect(Self.problems("{\"rules\": [").first?.hasPrefix("is not valid JSON") == true)
        #expect(Self.problems("[]") == [#"must be a JSON object with "rules" (and optionally "default")"#])
        #expect(Self.problems(#"{"rules": {}}"#) == ["rules: must be an array of rule objects"])
        #expect(Self.problems(#"{"rules": [], "default": {"anonymous": true, "deny": true}}"#) == ["default: is both anonymous and deny; choose one"])
    }

    @Test func theExampleInDeployIsValid() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../deploy/policy.example.json")
        let policy = try Self.policy(try String(contentsOf: url, encoding: .utf8))
        #expect(policy.rules.count >= 5)
        #expect(policy.rules.contains { $0.requirement.access == .anonymous })
        #expect(policy.rules.contains { !$0.requirement.anyScopes.isEmpty })
        #expect(policy.rules.contains { $0.requirement.audience != nil })
    }

    @Test func scopesAreMatchedAsWholeWords() {
        #expect(AccessPolicy.scope("read", isIn: "read write"))
        #expect(AccessPolicy.scope("write", isIn: "read  write"))
        #expect(!AccessPolicy.scope("read", isIn: "reader write"))
        #expect(!AccessPolicy.scope("orders:read", isIn: "orders:readwrite"))
        #expect(!AccessPolicy.scope("read", isIn: ""))
    }
}

extension RoutePolicyTests {
    @Test func theProblemWithInvalidJSONIsTheSameEveryTime() {
        // A control character in one key and arrays elsewhere: decoding alone reported whichever
        // member it met first (dictionary order differs between processes).
        let text = "{\"ignore_case\": false, \"rules\": [{\"path\": \"/a\", \"anonymous\": true}], \"default\": {\"d\u{4}eny\": true}}"
        let problems = (0..<20).map { _ in Self.problems(text) }
        #expect(Set(problems).count == 1)
        #expect(problems[0] == ["is not valid JSON: Unescaped control character around character 83 (line 1, column 84)"])
        #expect(Self.problems("{\"rules\": [}") == ["is not valid JSON: Invalid value around character 11 (line 1, column 12)"])
    }

    @Test func aSyntaxErrorInAnIndentedFileNamesItsLineAndColumn() {
        let text = """
            {
              "rules": [
                {"path": "/orders/**", "all_scopes": ["orders:read"],},
                {"path": "/é", "anonymous": tru}
              ]
            }
            """
        #expect(Self.problems(text) == ["is not valid JSON: Invalid value around character 111 (line 4, column 36)"])
        #expect(Self.problems(text) == Self.problems(text))
    }
}
