import Crypto
import Foundation
import SigV4

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The queue's claims: a `flock` on a small file in `claims/` per job being processed, so that one
/// process at a time works on a job and a crashed one never leaves it claimed.
struct ClaimFiles: Sendable {
    /// The `claims/` folder.
    let folder: String

    /// Claims the job for `key` if it exists (`jobExists` reads the queue, and is asked again once
    /// the lock is held: whoever held it before may have finished the job).
    func claim(key: String, jobExists: () -> Bool) throws -> JobClaim {
        // Most object-created signals are for objects without a job (pages, feeds): no claim file for those.
        guard jobExists() else { return .noJob }
        let path = path(for: key)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError.lastCall("open the claim for \(key)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let problem = errno
            close(descriptor)
            if problem == EWOULDBLOCK { return .heldElsewhere }
            errno = problem
            throw FileSystemError.lastCall("lock the claim for \(key)")
        }
        guard jobExists() else {
            flock(descriptor, LOCK_UN)
            close(descriptor)
            return .noJob
        }
        if FileStatus(descriptor: descriptor)?.size == 0 {
            // The key, for the sweep that removes claim files left behind.
            try? SegmentFile.write(Array(key.utf8), to: descriptor, at: 0, path: path)
        }
        return .claimed(JobLock(descriptor: descriptor))
    }

    /// Deletes the claim file for `key`: a claim made from here on finds no job; one holding the
    /// old file finds none either once it is released.
    func forget(key: String) { _ = unlink(path(for: key)) }

    /// Removes the claim files of jobs that are gone and that nobody holds; `index` (the queue's
    /// jobs) is read only when there are claim files.
    func removeUnused(keeping index: () -> JobIndex) {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter {
            $0.hasSuffix(".claim")
        }
        guard !names.isEmpty else { return }
        let jobs = index()
        for name in names {
            let file = folder + "/" + name
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            let key = String(decoding: SegmentFile.readAll(fd), as: UTF8.self)
            // A job, once removed, is never queued again: a claim racing this unlink finds no job either.
            if key.isEmpty || jobs.job(for: key) == nil { unlink(file) }
        }
    }

    /// The claim file of `key`.
    func path(for key: String) -> String {
        folder + "/" + SHA256.hash(data: Data(key.utf8)).hexString + ".claim"
    }
}
