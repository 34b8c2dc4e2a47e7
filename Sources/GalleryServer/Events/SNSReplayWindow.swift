import Foundation

/// Which SNS messages are fresh: pure bookkeeping over an injected time. A message older than
/// `window` is refused (a captured message replayed later); one whose MessageId was seen within
/// `window` is a duplicate (SNS delivers at least once; a replay within the hour looks the same).
struct SNSReplayWindow: Sendable {
    enum Verdict: Equatable {
        case fresh
        case duplicate
        /// Older than the window, or further in the future than clocks drift.
        case stale
    }

    let window: TimeInterval
    /// How far ahead of our clock a Timestamp may be.
    let clockSkew: TimeInterval
    /// The most MessageIds remembered; the oldest are forgotten first.
    let capacity: Int
    private var seen: [String: Date] = [:]
    private var arrivals: [(id: String, timestamp: Date)] = []
    private var head = 0

    init(window: TimeInterval = 3600, clockSkew: TimeInterval = 300, capacity: Int = 100_000) {
        self.window = window
        self.clockSkew = clockSkew
        self.capacity = max(1, capacity)
    }

    /// Judges the message `id` sent at `timestamp`, at `now`; a fresh one is remembered.
    mutating func admit(id: String, timestamp: Date, now: Date) -> Verdict {
        forget(before: now.addingTimeInterval(-window))
        guard timestamp >= now.addingTimeInterval(-window), timestamp <= now.addingTimeInterval(clockSkew) else {
            return .stale
        }
        guard seen[id] == nil else { return .duplicate }
        if seen.count >= capacity, head < arrivals.count {
            seen[arrivals[head].id] = nil
            head += 1
        }
        seen[id] = timestamp
        arrivals.append((id, timestamp))
        return .fresh
    }

    /// Forgets `id` (it was not acted on after all): its next delivery is fresh.
    mutating func forget(id: String) {
        seen[id] = nil
    }

    /// MessageIds remembered now.
    var count: Int { seen.count }

    private mutating func forget(before cutoff: Date) {
        while head < arrivals.count, arrivals[head].timestamp < cutoff {
            if seen[arrivals[head].id] == arrivals[head].timestamp { seen[arrivals[head].id] = nil }
            head += 1
        }
        if head > 1024, head * 2 > arrivals.count {
            arrivals.removeFirst(head)
            head = 0
        }
    }
}
