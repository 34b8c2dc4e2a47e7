import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file-system call failed: what was being done, and the system's reason (disk full,
/// permissions, …). The local bucket throws it for its folder's failures; the job queue reports it
/// as its own `JobQueueError.storage`.
public struct FileSystemError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was being done, with the path: "create /srv/jobs/.tmp-…".
    public let operation: String
    /// The system's reason.
    public let reason: String

    public init(_ operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    /// The failure of the system call just made (`errno`, read before `operation` is built: making
    /// the text may change it), while doing `operation`.
    static func lastCall(_ operation: @autoclosure () -> String) -> FileSystemError {
        let code = errno
        return FileSystemError(operation(), reason: String(cString: strerror(code)))
    }

    public var description: String { "\(operation): \(reason)" }
}
