public import Foundation

/// A pending title, waiting for its photo's upload to land.
public struct Job: Sendable, Hashable {
    /// The object key the upload was presigned for.
    public let key: String
    /// The title to tag the object with.
    public let title: Title
    /// When the title was posted.
    public let createdAt: Date
    /// After this the job is invisible and swept: the policy expired long enough ago that no upload can still be running.
    public let expiresAt: Date

    public init(key: String, title: Title, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.title = title
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether the job has expired at `now`.
    public func isExpired(at now: Date) -> Bool { now >= expiresAt }
}

/// Pending jobs, keyed by object key, with expiry. Implementations must make `enqueue` durable before returning.
public protocol JobQueue: Sendable {
    /// Stores `job` durably, replacing any job for the same key.
    func enqueue(_ job: Job) async throws
    /// The unexpired job for `key`, if any.
    func job(for key: String) async throws -> Job?
    /// Every unexpired job, oldest first.
    func pending() async throws -> [Job]
    /// How many jobs are stored, expired ones not yet swept included: cheaper than `pending()`.
    func count() async throws -> Int
    /// Removes the job for `key`; removing a missing job succeeds.
    func remove(key: String) async throws
    /// Deletes expired and finished jobs and leftovers of interrupted writes; returns what it did.
    func sweep() async throws -> SweepReport
    /// Claims the job for `key` against every other process sharing the queue, for as long as the
    /// returned claim is held: `.heldElsewhere` while another process works on it.
    func claim(key: String) async throws -> JobClaim
}

/// The result of `JobQueue.claim(key:)`.
public enum JobClaim: Sendable {
    /// This process holds the job until `release()`.
    case claimed(JobLock)
    /// There is no job for the key: nothing to claim (processing it is idempotent).
    case noJob
    /// Another process holds the job right now.
    case heldElsewhere

    /// Gives the claim up (a no-op unless claimed).
    public func release() {
        if case .claimed(let lock) = self { lock.release() }
    }
}

/// An exclusive lock on a job's claim file (`flock`), released explicitly or when its process dies, so a
/// crashed instance never leaves a job claimed.
public final class JobLock: Sendable {
    private let descriptor: Int32

    init(descriptor: Int32) { self.descriptor = descriptor }

    /// Unlocks and closes; call once. Unlocked explicitly first: a process being spawned at that
    /// moment may hold a copy of the descriptor until it execs, and closing alone would leave the
    /// lock held for as long (a claim test saw its released job still held elsewhere, under a suite
    /// that spawns peers).
    public func release() {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// What a sweep removed.
public struct SweepReport: Sendable, Hashable {
    /// Expired jobs deleted.
    public var expired: Int = 0
    /// Damaged segments copied into the queue's `corrupt/` folder before their readable records were
    /// kept, and unreadable job files of the earlier format moved there (nothing is deleted unread).
    public var quarantined: Int = 0
    /// Temporary files of interrupted writes deleted.
    public var temporaryFiles: Int = 0

    public init(expired: Int = 0, quarantined: Int = 0, temporaryFiles: Int = 0) {
        self.expired = expired
        self.quarantined = quarantined
        self.temporaryFiles = temporaryFiles
    }
}
