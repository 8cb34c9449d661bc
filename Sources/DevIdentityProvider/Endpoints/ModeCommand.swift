/// The body of `POST /_dev/mode`, e.g. `{"mode":"delay","ms":20}`, turned into a ``FailureMode``.
struct ModeCommand: Decodable {
    let mode: String
    let milliseconds: Int?
    let status: Int?
    let retryAfter: String?
    let bytes: Int?
    let intervalMilliseconds: Int?

    static let example = #"{"mode":"delay","ms":20}"#
    static let modeNames = [
        "normal", "delay", "status", "malformed_json", "non_object_json", "active_as_string", "huge_body", "hang", "slow_body",
    ]

    private enum CodingKeys: String, CodingKey {
        case mode, ms, status, retry_after, bytes, interval_ms
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mode = try container.decode(String.self, forKey: .mode)
        milliseconds = try container.decodeIfPresent(Int.self, forKey: .ms)
        status = try container.decodeIfPresent(Int.self, forKey: .status)
        bytes = try container.decodeIfPresent(Int.self, forKey: .bytes)
        intervalMilliseconds = try container.decodeIfPresent(Int.self, forKey: .interval_ms)
        // Retry-After is text (seconds or an HTTP date), but scripts naturally write 2 for "2".
        if let seconds = try? container.decodeIfPresent(Int.self, forKey: .retry_after) {
            retryAfter = String(seconds)
        } else {
            retryAfter = try container.decodeIfPresent(String.self, forKey: .retry_after)
        }
    }

    func failureMode() throws(RequestProblem) -> FailureMode {
        switch mode {
        case "normal":
            return .normal
        case "delay":
            return .delay(.milliseconds(try required(milliseconds, "ms", in: 0...3_600_000, unit: "milliseconds")))
        case "status":
            return .status(try required(status, "status", in: 200...599, unit: "an HTTP status"), retryAfter: retryAfter)
        case "malformed_json":
            return .malformedJSON
        case "non_object_json":
            return .nonObjectJSON
        case "active_as_string":
            return .activeAsString
        case "huge_body":
            return .hugeBody(bytes: try required(bytes, "bytes", in: 1...IntrospectionEndpoint.hugeBodyLimit, unit: "bytes"))
        case "hang":
            return .hang
        case "slow_body":
            let interval = try required(intervalMilliseconds, "interval_ms", in: 0...60_000, unit: "milliseconds")
            return .slowBody(interval: .milliseconds(interval))
        default:
            throw RequestProblem("unknown mode \"\(mode)\"; expected one of \(Self.modeNames.joined(separator: ", "))")
        }
    }

    private func required(_ value: Int?, _ key: String, in range: ClosedRange<Int>, unit: String) throws(RequestProblem) -> Int {
        guard let value else {
            throw RequestProblem("mode \"\(mode)\" needs \"\(key)\" (\(unit), \(range.lowerBound)...\(range.upperBound))")
        }
        guard range.contains(value) else {
            throw RequestProblem("\"\(key)\" must be \(unit) in \(range.lowerBound)...\(range.upperBound), not \(value)")
        }
        return value
    }
}
