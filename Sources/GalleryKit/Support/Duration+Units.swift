/// The package's one conversion of a `Duration` to seconds and nanoseconds (metrics, intervals);
/// NIO's `TimeAmount(_:)` converts it for channel options and timeouts.
extension Duration {
    /// The duration in (fractional) seconds.
    public var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The duration in whole nanoseconds.
    public var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
