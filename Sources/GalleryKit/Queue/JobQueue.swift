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
    /// Waits until no other process holds the job for `key` (then claiming it may succeed; another
    /// may be first again). False when `patience` ran out first, the task was cancelled, or the
    /// queue does not wait now (too many waits already): never longer than `patience`.
    func awaitRelease(key: String, within patience: Duration) async -> Bool
}
