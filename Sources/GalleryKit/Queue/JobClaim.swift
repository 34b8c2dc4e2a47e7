/// The result of `JobQueue.claim(key:)`.
public enum JobClaim: Sendable {
    /// This process holds the job until `release()`.
    case claimed(JobLock)
    /// There is no job for the key: nothing to claim (processing it is idempotent).
    case noJob
    /// Another process holds the job right now.
    case heldElsewhere

    /// Whether another process holds the job.
    public var isHeldElsewhere: Bool { if case .heldElsewhere = self { true } else { false } }

    /// Gives the claim up (a no-op unless claimed).
    public func release() {
        if case .claimed(let lock) = self { lock.release() }
    }
}
