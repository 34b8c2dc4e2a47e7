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
    /// returned claim is held. While another process works on it, waits up to `patience` for it to
    /// finish, then answers `.heldElsewhere`.
    func claim(key: String, waitingUpTo patience: Duration) async throws -> JobClaim
}

extension JobQueue {
    /// Claims the job for `key` without waiting: `.heldElsewhere` while another process works on it.
    public func claim(key: String) async throws -> JobClaim { try await claim(key: key, waitingUpTo: .zero) }
}
