public import Foundation

/// The queue's state, folded from log entries. Pure: entries may come from several segments in any
/// order and any number of times (a compaction briefly leaves a record in two segments), and the
/// result is the same.
///
/// A job is named by its key and creation time. The job for a key is the newest queued one that no
/// entry removed.
public struct JobIndex: Sendable {
    private struct JobID: Hashable {
        let key: String
        let createdAt: Date
    }

    /// The job for each key that has one.
    private var current: [String: Job] = [:]
    /// The first job queued for each key, and any later ones (a key is almost always queued once).
    private var first: [String: Job] = [:]
    private var later: [String: [Job]] = [:]
    private var removed: Set<JobID> = []

    /// Creates an empty index with room for `capacity` jobs made up front.
    ///
    /// A dictionary that outgrows its storage rehashes every entry at once (about 80 ms at 100,000
    /// jobs here), while the queue's lock is held and every presign waits; room for the queue's
    /// limit keeps that off the presign path. Jobs land in the room at random places, so it soon
    /// costs its full memory: callers bound `capacity`.
    public init(capacity: Int = 0) {
        current.reserveCapacity(capacity)
        first.reserveCapacity(capacity)
    }

    /// Folds `entry` in.
    public mutating func apply(_ entry: JobLogEntry) {
        switch entry {
        case .queued(let job):
            if let existing = first[job.key] {
                guard existing != job, !(later[job.key]?.contains(job) ?? false) else { return }
                later[job.key, default: []].append(job)
            } else {
                first[job.key] = job
            }
            guard removed.isEmpty || !removed.contains(JobID(key: job.key, createdAt: job.createdAt)) else {
                return
            }
            // Newer wins; of two created at the same instant, the one folded in later (a replacement).
            if current[job.key].map({ $0.createdAt <= job.createdAt }) ?? true { current[job.key] = job }
        case .removed(let key, let createdAt):
            guard removed.insert(JobID(key: key, createdAt: createdAt)).inserted,
                current[key]?.createdAt == createdAt
            else { return }
            current[key] = queued(key).filter { !removed.contains(JobID(key: key, createdAt: $0.createdAt)) }
                .max { $0.createdAt < $1.createdAt }
        }
    }

    /// Folds `entries` in, in order.
    public mutating func apply(_ entries: some Sequence<JobLogEntry>) {
        for entry in entries { apply(entry) }
    }

    /// Every job ever queued for `key`.
    private func queued(_ key: String) -> [Job] {
        guard let first = first[key] else { return [] }
        return [first] + (later[key] ?? [])
    }

    /// The job for `key`, expired or not.
    public func job(for key: String) -> Job? { current[key] }

    /// The creation times of every job queued for `key` and not removed (the current one and any it replaced).
    public func versions(of key: String) -> [Date] {
        queued(key).map(\.createdAt).filter { !removed.contains(JobID(key: key, createdAt: $0)) }.sorted()
    }

    /// How many keys have a job, expired or not.
    public var count: Int { current.count }

    /// Whether any job has expired at `now`.
    public func containsExpired(at now: Date) -> Bool { current.values.contains { $0.isExpired(at: now) } }

    /// Every job, expired or not, in no particular order.
    public var jobs: [Job] { Array(current.values) }

    /// Whether `job` is the job for its key.
    public func isCurrent(_ job: Job) -> Bool { current[job.key] == job }

    /// Whether the job `key` created at `createdAt` was queued.
    func contains(key: String, createdAt: Date) -> Bool { queued(key).contains { $0.createdAt == createdAt } }
}
