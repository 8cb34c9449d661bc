import Foundation

/// Stops the run when a property of a parser does not hold: libFuzzer sees the crash and saves
/// the input as `crash-…`. The message says which property broke; inputs are fuzz data, never a
/// real token or secret, so printing them is fine.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    guard !condition() else { return }
    FileHandle.standardError.write(Data("FUZZ PROPERTY VIOLATED (\(file):\(line)): \(message())\n".utf8))
    abort()
}

/// Splits an input into at most `count` parts at NUL bytes (the last part keeps any further NULs).
func parts(_ bytes: [UInt8], _ count: Int) -> [ArraySlice<UInt8>] {
    var result = bytes.split(separator: 0, maxSplits: count - 1, omittingEmptySubsequences: false)
    while result.count < count { result.append([]) }
    return result
}

/// The bytes as text the way a Swift server sees them after decoding (invalid UTF-8 replaced).
func text(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes, as: UTF8.self)
}
