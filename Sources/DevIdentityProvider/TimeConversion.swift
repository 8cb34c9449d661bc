/// Conversions between `Duration` and the seconds of JSON timestamps.
enum TimeConversion {
    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Rounds down to whole seconds, clamped so that a strange clock (NaN, infinity, far
    /// future) gives a strange timestamp rather than a trap.
    static func wholeSeconds(_ seconds: Double) -> Int64 {
        guard !seconds.isNaN else { return 0 }
        let limit = 9.0e18  // inside Int64's range, and infinities clamp to it
        return Int64(min(max(seconds.rounded(.down), -limit), limit))
    }
}
