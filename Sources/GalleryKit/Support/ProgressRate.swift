public import Foundation

/// The rate of a long job and the time it has left, from the progress of the last `window` seconds:
/// the time before the first step (a listing, say) does not count, and no figure is given until a
/// second of steps has been seen. Pure: the caller says when each count was seen.
public struct ProgressRate: Sendable {
    /// How far back the rate looks.
    public let window: TimeInterval
    private var samples: [(at: Date, done: Int)] = []

    public init(window: TimeInterval = 10) {
        self.window = window
    }

    /// Notes that `done` steps were done at `time`.
    public mutating func record(_ done: Int, at time: Date) {
        samples.append((time, done))
        // Keep the newest sample older than the window, as the rate's starting point.
        while samples.count > 2, time.timeIntervalSince(samples[1].at) >= window { samples.removeFirst() }
    }

    /// Steps per second over the window; nil until it spans a second.
    public var perSecond: Double? {
        guard let first = samples.first, let last = samples.last else { return nil }
        let span = last.at.timeIntervalSince(first.at)
        guard span >= 1 else { return nil }
        return Double(last.done - first.done) / span
    }

    /// Seconds left to reach `total`; nil while the rate is unknown or zero.
    public func secondsLeft(total: Int) -> Double? {
        guard let rate = perSecond, rate > 0, let done = samples.last?.done else { return nil }
        return Double(max(0, total - done)) / rate
    }
}
