import Foundation

/// Reads a policy file (`POLICY_FILE`, JSON) into a `RoutePolicy`, listing every problem with
/// the rule and field it is in. `deploy/policy.example.json` shows every field.
///
/// ```json
/// {
///   "ignore_case": false,
///   "rules": [
///     {"path": "/healthz", "anonymous": true},
///     {"path": "/orders/**", "methods": ["GET"], "all_scopes": ["orders:read"]},
///     {"path": "/orders/**", "methods": ["POST", "PUT", "PATCH", "DELETE"], "all_scopes": ["orders:write"]},
///     {"path": "/reports/*", "any_scopes": ["reports:read", "admin"]},
///     {"path": "/admin/**", "all_scopes": ["admin"], "audience": "admin-api"},
///     {"path": "/internal/**", "deny": true}
///   ],
///   "default": {"deny": true}
/// }
/// ```
public enum RoutePolicyFile {
    static let ruleFields: Set<String> = ["path", "methods", "all_scopes", "any_scopes", "audience", "anonymous", "deny", "description"]
    static let topLevelFields: Set<String> = ["rules", "default", "ignore_case", "description"]

    /// The policy in `text`, or every problem found in it (each prefixed with where it is).
    public static func parse(_ text: String, file: String?) -> Result<RoutePolicy, ProblemList> {
        // A validating parse first: its syntax error is the same on every run and points at the
        // right place. Decoding `JSONValue` alone tries each type in turn, so its error would be
        // whichever member the decoder happened to meet first (fuzz finding F3, docs/fuzzing.md).
        let bytes = Data(text.utf8)
        do {
            _ = try JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed])
        } catch {
            return .failure(ProblemList(["is not valid JSON: \(syntaxProblem(error, in: bytes))"]))
        }
        guard let document = try? JSONValueParser.parse(bytes) else {
            // Not seen in fuzzing; said without the decoder's error, which need not be the same twice.
            return .failure(ProblemList(["is not valid JSON: it holds a value that cannot be read"]))
        }
        guard case .object(let members) = document else { return .failure(ProblemList(["must be a JSON object with \"rules\" (and optionally \"default\")"])) }
        var problems: [String] = []
        for key in members.keys.sorted() where !topLevelFields.contains(key) {
            problems.append("\"\(key)\" is not a known field; use \(topLevelFields.sorted().joined(separator: ", "))")
        }
        var ignoresCase = false
        switch members["ignore_case"] {
        case nil: break
        case .bool(let flag): ignoresCase = flag
        default: problems.append("ignore_case: must be true or false")
        }

        var rules: [RouteRule] = []
        switch members["rules"] {
        case nil: break
        case .array(let elements):
            for (index, element) in elements.enumerated() {
                let place = "rules[\(index)]"
                guard case .object(let fields) = element else {
                    problems.append("\(place): must be an object with at least \"path\"")
                    continue
                }
                if let rule = parseRule(fields, place: place, ignoresCase: ignoresCase, problems: &problems) {
                    if let earlier = rules.firstIndex(where: { $0.pattern.segments == rule.pattern.segments
                        && $0.pattern.matchesDescendants == rule.pattern.matchesDescendants && Set($0.methods ?? []) == Set(rule.methods ?? []) }) {
                        problems.append("\(place): never applies, rules[\(earlier)] has the same path and methods and comes first")
                    }
                    rules.append(rule)
                }
            }
        default:
            problems.append("rules: must be an array of rule objects")
        }

        var defaultRequirement = RouteRequirement.tokenRequired
        switch members["default"] {
        case nil: break
        case .object(let fields):
            for key in fields.keys.sorted() where key == "path" || key == "methods" {
                problems.append("default.\(key): the default applies to every request no rule matches; it has no \(key)")
            }
            if let requirement = parseRequirement(fields.filter { $0.key != "path" && $0.key != "methods" }, place: "default", label: "default", problems: &problems) {
                defaultRequirement = requirement
            }
        default:
            problems.append("default: must be an object (e.g. {\"deny\": true} or {\"all_scopes\": [\"read\"]})")
        }
        guard problems.isEmpty else { return .failure(ProblemList(problems)) }
        return .success(RoutePolicy(rules: rules, defaultRequirement: defaultRequirement, ignoresCase: ignoresCase, file: file))
    }

    private static func parseRule(_ fields: [String: JSONValue], place: String, ignoresCase: Bool, problems: inout [String]) -> RouteRule? {
        let before = problems.count
        var pattern: PathPattern?
        switch fields["path"] {
        case .string(let text):
            do throws(PathPattern.Problem) {
                pattern = try PathPattern(text, lowercased: ignoresCase)
            } catch {
                problems.append("\(place).path: \(error)")
            }
        case nil: problems.append("\(place).path: is required")
        default: problems.append("\(place).path: must be a string such as \"/orders/**\"")
        }
        var methods: [String]?
        if let value = fields["methods"] {
            methods = strings(value, place: "\(place).methods", problems: &problems) { name in
                ConfigurationValue.isHeaderName(name) ? nil : "'\(name)' is not an HTTP method"
            }
        }
        var label = place
        if let pattern { label += " \"\(pattern)\"" }
        if case .string(let description) = fields["description"] { label += " (\(description.prefix(80)))" }
        let requirement = parseRequirement(fields.filter { $0.key != "path" && $0.key != "methods" }, place: place, label: label, problems: &problems)
        guard problems.count == before, let pattern, let requirement else { return nil }
        return RouteRule(pattern: pattern, methods: methods, requirement: requirement)
    }

    /// The requirement fields shared by rules and the default (unknown fields are reported here).
    private static func parseRequirement(_ fields: [String: JSONValue], place: String, label: String, problems: inout [String]) -> RouteRequirement? {
        let before = problems.count
        for key in fields.keys.sorted() where !ruleFields.contains(key) {
            let hint = key == "scopes" || key == "scope" ? " (did you mean all_scopes or any_scopes?)" : ""
            problems.append("\(place).\(key): is not a known field\(hint); use \(ruleFields.sorted().joined(separator: ", "))")
        }
        let checkScope = { (scope: String) -> String? in
            AccessPolicy.isScopeToken(scope) ? nil : "'\(scope)' is not a scope (printable ASCII without spaces, quotes or backslashes)"
        }
        let allScopes = fields["all_scopes"].flatMap { strings($0, place: "\(place).all_scopes", problems: &problems, check: checkScope) } ?? []
        let anyScopes = fields["any_scopes"].flatMap { strings($0, place: "\(place).any_scopes", problems: &problems, check: checkScope) } ?? []
        var audience: String?
        switch fields["audience"] {
        case nil: break
        case .string(let text) where !text.isEmpty: audience = text
        default: problems.append("\(place).audience: must be a non-empty string")
        }
        let anonymous = flag(fields["anonymous"], place: "\(place).anonymous", problems: &problems)
        let deny = flag(fields["deny"], place: "\(place).deny", problems: &problems)
        if let description = fields["description"], description.stringValue == nil {
            problems.append("\(place).description: must be a string")
        }
        let requires = fields["all_scopes"] != nil || fields["any_scopes"] != nil || fields["audience"] != nil
        if anonymous, deny {
            problems.append("\(place): is both anonymous and deny; choose one")
        } else if anonymous, requires {
            problems.append("\(place): an anonymous rule cannot require scopes or an audience (a request without a token would pass anyway)")
        } else if deny, requires {
            problems.append("\(place): a deny rule refuses everyone; scopes or an audience mean nothing there")
        }
        guard problems.count == before else { return nil }
        return RouteRequirement(
            access: deny ? .deny : anonymous ? .anonymous : .token, allScopes: allScopes, anyScopes: anyScopes, audience: audience, label: label)
    }

    private static func strings(_ value: JSONValue, place: String, problems: inout [String], check: (String) -> String?) -> [String]? {
        guard case .array(let elements) = value, !elements.isEmpty else {
            problems.append("\(place): must be a non-empty array of strings")
            return nil
        }
        var result: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                problems.append("\(place)[\(index)]: must be a string")
                continue
            }
            if let problem = check(text) {
                problems.append("\(place)[\(index)]: \(problem)")
            } else {
                result.append(text)
            }
        }
        return result.count == elements.count ? result : nil
    }

    private static func flag(_ value: JSONValue?, place: String, problems: inout [String]) -> Bool {
        switch value {
        case nil: return false
        case .bool(let flag): return flag
        default:
            problems.append("\(place): must be true or false")
            return false
        }
    }

    /// JSONSerialization's message, with the line and column of the byte offset it names
    /// ("around character 31"), so a person finds the place in an indented file.
    static func syntaxProblem(_ error: any Error, in bytes: Data) -> String {
        let message = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        guard let range = message.range(of: "around character "),
              let offset = Int(message[range.upperBound...].prefix { $0.isASCII && $0.isNumber }), offset <= bytes.count
        else { return message }
        let before = bytes.prefix(offset)
        let line = before.count(where: { $0 == UInt8(ascii: "\n") }) + 1
        let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? before.startIndex
        let column = String(decoding: before[lineStart...], as: UTF8.self).count + 1
        return "\(message.hasSuffix(".") ? String(message.dropLast()) : message) (line \(line), column \(column))"
    }
}

extension RoutePolicyFile {
    /// Reads and parses the file at `path`; every problem is prefixed with the path.
    public static func load(path: String, read: (String) throws -> String) -> Result<RoutePolicy, ProblemList> {
        let text: String
        do {
            text = try read(path)
        } catch {
            return .failure(ProblemList(["cannot read '\(path)'"]))
        }
        return parse(text, file: path).mapError { list in ProblemList(list.messages.map { "\(path): \($0)" }) }
    }
}
