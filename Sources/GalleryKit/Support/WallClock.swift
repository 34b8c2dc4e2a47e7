public import Foundation

/// Where "now" comes from, so that expiry and signing are testable without sleeping.
public protocol WallClock: Sendable {
    /// The current time.
    func now() -> Date
}
