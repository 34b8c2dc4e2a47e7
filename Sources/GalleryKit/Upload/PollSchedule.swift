public import Foundation

/// When the poller next looks for a pending job's upload: soon after the job is created, then less
/// and less often (doubling, up to a ceiling), so many pending jobs that are never uploaded cost
/// fewer and fewer store requests instead of one HEAD each per interval.
///
/// While event notifications arrive, the poller is only a safety net: no job is looked at more
/// often than every `safetyNet` seconds.
///
/// Pure: the caller passes the time. Forgets jobs that are no longer pending.
public struct PollSchedule: Sendable {
    /// The first wait after a job is created, and the base of the back-off.
    public let interval: TimeInterval
    /// The longest wait between two looks at one job.
    public let ceiling: TimeInterval
    /// The shortest wait between two looks at one job while notifications arrive.
    public let safetyNet: TimeInterval
    private var next: [String: (at: Date, wait: TimeInterval)] = [:]

    public init(interval: TimeInterval, ceiling: TimeInterval = 300, safetyNet: TimeInterval = 300) {
        self.interval = max(0.001, interval)
        self.ceiling = max(self.interval, ceiling)
        self.safetyNet = max(self.interval, safetyNet)
    }

    /// The jobs among `pending` due for a look at `now`; each one's next look moves out (doubling, or
    /// to the safety net while `notificationsArrive`).
    public mutating func due(_ pending: [Job], at now: Date, notificationsArrive: Bool = false) -> [Job] {
        let first = notificationsArrive ? safetyNet : interval
        var seen: [String: (at: Date, wait: TimeInterval)] = [:]
        seen.reserveCapacity(pending.count)
        var due: [Job] = []
        for job in pending {
            var entry = next[job.key] ?? (job.createdAt.addingTimeInterval(first), first)
            if entry.at <= now {
                due.append(job)
                entry.wait = min(ceiling, entry.wait * 2)
                if notificationsArrive { entry.wait = max(entry.wait, safetyNet) }
                entry.at = now.addingTimeInterval(entry.wait)
            }
            seen[job.key] = entry
        }
        next = seen
        return due
    }

    /// The store requests an hour the schedule makes at its current pace: one look per job per wait.
    public var looksPerHour: Double { next.values.reduce(0) { $0 + 3600 / $1.wait } }
}
