#if FUZZING
import Foundation

/// The target this process fuzzes, from `FUZZ_TARGET` (libFuzzer owns the command line).
private let selectedTarget: FuzzTarget = {
    let names = FuzzTarget.all.map(\.name).joined(separator: ", ")
    guard let value = getenv("FUZZ_TARGET") else {
        FileHandle.standardError.write(Data("GatewayFuzz: set FUZZ_TARGET to one of: \(names)\n".utf8))
        exit(2)
    }
    guard let target = FuzzTarget.named(String(cString: value)) else {
        FileHandle.standardError.write(Data("GatewayFuzz: unknown FUZZ_TARGET '\(String(cString: value))'; one of: \(names)\n".utf8))
        exit(2)
    }
    return target
}()

/// libFuzzer's entry point (built with `--sanitize=fuzzer -Xswiftc -DFUZZING`; libFuzzer
/// provides `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selectedTarget.run(bytes)
    return 0
}
#endif
