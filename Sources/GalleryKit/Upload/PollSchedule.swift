public import Foundation

/// When the poller next looks for a pending job's upload: soon after the job is created, then less
/// and less often (doubling, up to a ceiling), so many pending jobs that are never uploaded cost
/// fewer and fewer store requests instead of one HEAD each per interval.
///
/// Pure: the caller passes the time. Forgets jobs that are no longer pending.
public struct PollSchedule: Sendable {
    /// The first wait after a job is created, and the base of the back-off.
    public let interval: TimeInterval
    /// The longest wait between two looks at one job.
    public let ceiling: TimeInterval
    private var next: [String: (at: Date, wait: TimeInterval)] = [:]

    public init(interval: TimeInterval, ceiling: TimeInterval = 300) {
        self.interval = max(0.001, interval)
        self.ceiling = max(self.interval, ceiling)
    }

    /// The jobs among `pending` due for a look at `now`; each one's next look moves out (doubling).
    public mutating func due(_ pending: [Job], at now: Date) -> [Job] {
        var seen: [String: (at: Date, wait: TimeInterval)] = [:]
        seen.reserveCapacity(pending.count)
        var due: [Job] = []
        for job in pending {
            var entry = next[job.key] ?? (job.createdAt.addingTimeInterval(interval), interval)
            if entry.at <= now {
                due.append(job)
                entry.wait = min(ceiling, entry.wait * 2)
                entry.at = now.addingTimeInterval(entry.wait)
            }
            seen[job.key] = entry
        }
        next = seen
        return due
    }
}
