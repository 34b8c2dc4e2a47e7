import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file-system call failed: what was being done, and the system's reason (disk full,
/// permissions, …). The local bucket's and the job queue's shared file helpers throw it; the queue
/// reports it as its own `JobQueueError.storage`.
package struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done, with the path: "create /srv/jobs/.tmp-…".
    package let operation: String
    /// The system's reason.
    package let reason: String

    package init(_ operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    /// The failure of the system call just made (`errno`), while doing `operation`.
    static func lastCall(_ operation: String) -> FileSystemError {
        FileSystemError(operation, reason: String(cString: strerror(errno)))
    }

    package var description: String { "\(operation): \(reason)" }
}
