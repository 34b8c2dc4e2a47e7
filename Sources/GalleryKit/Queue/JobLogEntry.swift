public import Foundation

/// One change to the job queue, as stored in a segment of the queue's log.
public enum JobLogEntry: Sendable, Hashable {
    /// A job was queued (it replaces any older job for the same key).
    case queued(Job)
    /// The job for `key` created at `createdAt` was done with.
    case removed(key: String, createdAt: Date)

    /// The object key the entry is about.
    public var key: String {
        switch self {
        case .queued(let job): job.key
        case .removed(let key, _): key
        }
    }
}
