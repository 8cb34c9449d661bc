#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore

/// Decodes the JSON bodies of the `/_dev` control endpoints, with errors a script author can act on.
enum JSONRequestDecoder {
    static func decode<Command: Decodable>(_ type: Command.Type, from body: ByteBuffer, example: String) throws(RequestProblem) -> Command {
        do {
            return try JSONDecoder().decode(Command.self, from: Data(body.readableBytesView))
        } catch let error as DecodingError {
            throw RequestProblem("\(describe(error)); expected a JSON object such as \(example)")
        } catch {
            throw RequestProblem("body is not valid JSON; expected a JSON object such as \(example)")
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map(\.stringValue).joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, _):
            return "\"\(key.stringValue)\" is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let location = path(context)
            return location.isEmpty ? "body is not a JSON object" : "\"\(location)\" must be \(expectation(type))"
        case .dataCorrupted(let context):
            let location = path(context)
            return location.isEmpty ? "body is not valid JSON" : "\"\(location)\" is invalid: \(context.debugDescription)"
        @unknown default:
            return "body could not be decoded"
        }
    }

    private static func expectation(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        default: "of type \(type)"
        }
    }
}
