import GatewayCore

/// The policy file (`POLICY_FILE`, the operator's) and the original request's path and method
/// (the client's, through the proxy's `X-Original-URI`), which the policy is matched on.
///
/// Input: `policy JSON` NUL `method` NUL `request target`.
///
/// Properties: parsing is deterministic; a failure lists problems; every rule's pattern re-parses
/// from its text. A normalised path starts with `/`, has no empty, `.` or `..` segment, no
/// control character, backslash or `;`, and is UTF-8; folding case after normalising equals
/// normalising with `ignore_case`; normalising again changes nothing. Spellings of one path
/// normalise, and match, alike: the absolute form, `/./`, `/x/../`, `//`, and a letter written
/// as a percent-escape.
enum PolicyFuzz {
    static func run(_ bytes: [UInt8]) {
        let input = parts(bytes, 3)
        let policyText = text(input[0])
        let parsed = RoutePolicyFile.parse(policyText, file: "fuzz.json")
        let policy: RoutePolicy?
        switch (parsed, RoutePolicyFile.parse(policyText, file: "fuzz.json")) {
        case (.success(let first), .success(let second)):
            require(first == second, "policy parsing is not deterministic")
            for rule in first.rules {
                let again = try? PathPattern(rule.pattern.description, lowercased: first.ignoresCase)
                require(again == rule.pattern, "pattern \(rule.pattern) does not re-parse to itself")
            }
            policy = first
        case (.failure(let first), .failure(let second)):
            require(!first.messages.isEmpty, "a policy refused without a problem")
            require(first == second, "the same policy gives different problems:\n\(first.messages)\nvs\n\(second.messages)")
            policy = nil
        default:
            require(false, "policy parsing is not deterministic")
            return
        }

        let method = text(input[1])
        let target = text(input[2])
        let normalized = RequestPath.normalize(target)
        require(RequestPath.normalize(target) == normalized, "normalising is not deterministic")
        let folded = RequestPath.normalize(target, lowercased: true)
        switch (normalized, folded) {
        case (.success(let path), .success(let lower)):
            check(path, of: target)
            require(lower.bytes == path.bytes.map { (0x41...0x5a).contains($0) ? $0 + 0x20 : $0 }, "ignore_case is not case folding after normalising")
            if !path.bytes.contains(where: { "%?#".utf8.contains($0) }) {
                require(RequestPath.normalize(path.description) == .success(path), "normalising \(path) again changes it")
            }
        case (.failure, .failure):
            break
        default:
            require(false, "ignore_case changes whether \(target.debugDescription) can be normalised")
        }

        guard target.hasPrefix("/") else { return }
        let spellings = ["http://fuzz.example" + target, "/." + target, "/x/.." + target, "/" + target, escapingOneLetter(target)].compactMap { $0 }
        for spelling in spellings {
            require(RequestPath.normalize(spelling) == normalized, "\(spelling.debugDescription) normalises unlike \(target.debugDescription)")
        }
        guard let policy else { return }
        let request = AuthRequest(authorization: .missing, originalMethod: method.isEmpty ? nil : method, originalURI: target)
        let match = policy.match(request)
        for spelling in spellings {
            let other = AuthRequest(authorization: .missing, originalMethod: request.originalMethod, originalURI: spelling)
            require(policy.match(other) == match, "\(spelling.debugDescription) matches unlike \(target.debugDescription)")
        }
        if !policy.rules.isEmpty, !method.isEmpty, method.utf8.allSatisfy({ (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) }) {
            let otherCase = AuthRequest(authorization: .missing, originalMethod: method.lowercased(), originalURI: target)
            require(policy.match(otherCase) == policy.match(AuthRequest(authorization: .missing, originalMethod: method.uppercased(), originalURI: target)),
                    "the method's case changes the match")
        }
    }

    static func check(_ path: RequestPath, of target: String) {
        let bytes = path.bytes
        require(bytes.first == UInt8(ascii: "/"), "\(target.debugDescription) normalised to a path without a leading /")
        require(String(validating: bytes, as: UTF8.self) != nil, "normalised to bytes that are not UTF-8")
        require(!bytes.contains { $0 < 0x20 || $0 == 0x7f || $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: ";") },
                "normalised \(target.debugDescription) to \(path) with a control character, backslash or ';'")
        guard bytes != [UInt8(ascii: "/")] else {
            require(path.segmentCount == 0, "the root with segments")
            return
        }
        let segments = bytes.dropFirst().split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false)
        require(segments.count == path.segmentCount, "\(path): \(segments.count) segments, \(path.segmentCount) counted")
        for segment in segments {
            require(!segment.isEmpty && Array(segment) != [0x2e] && Array(segment) != [0x2e, 0x2e], "\(target.debugDescription) normalised to \(path)")
        }
    }

    /// The target with its first plain letter (in the path, not inside an escape) written as %XX.
    static func escapingOneLetter(_ target: String) -> String? {
        let bytes = Array(target.utf8)
        let pathEnd = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
        for index in 0..<pathEnd where (0x41...0x5a).contains(bytes[index]) || (0x61...0x7a).contains(bytes[index]) {
            if index >= 1, bytes[index - 1] == UInt8(ascii: "%") { continue }
            if index >= 2, bytes[index - 2] == UInt8(ascii: "%") { continue }
            let hex = Array("0123456789ABCDEF".utf8)
            let escaped = [UInt8(ascii: "%"), hex[Int(bytes[index] >> 4)], hex[Int(bytes[index] & 0x0f)]]
            return String(decoding: bytes[..<index] + escaped + bytes[(index + 1)...], as: UTF8.self)
        }
        return nil
    }
}
