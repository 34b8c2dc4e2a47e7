/// Why the job queue refused or failed a change.
public enum JobQueueError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The queue holds `limit` jobs, its limit: answered with 503 and `Retry-After`, never by
    /// filling the disk. `retryAfter` is in seconds.
    case full(limit: Int, retryAfter: Int)
    /// The queue's folder could not be read or written (disk full, permissions, …).
    case storage(directory: String, failure: String)

    public var description: String {
        switch self {
        case .full(let limit, let retryAfter):
            "The gallery has \(limit) uploads waiting, its limit. Try again in \(retryAfter) s."
        case .storage(let directory, let failure): "The job queue in \(directory) failed: \(failure)"
        }
    }
}
