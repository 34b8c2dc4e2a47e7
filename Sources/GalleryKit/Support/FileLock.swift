import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive advisory lock on a file (`flock`), held by one process (and one task) at a time
/// among all that share the folder. Waiting for it never blocks a thread: it is tried without
/// blocking, and between tries the task sleeps. Short critical sections only.
enum FileLock {
    /// Runs `body` while holding the lock on `path` (created if missing).
    static func holding<T>(_ path: String, _ body: () throws -> T) async throws -> T {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw FileSystemError.lastCall("open the lock \(path)") }
        defer { close(fd) }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw FileSystemError.lastCall("lock \(path)") }
            try await Task.sleep(for: .milliseconds(2))
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }
}
