public import Foundation
public import Logging
import Synchronization

/// The job queue on disk: one file per job in a folder (`jobs/` by default).
///
/// Each job is written to a temporary file, flushed, renamed into place and the folder flushed before
/// `enqueue` returns, so an acknowledged enqueue survives `kill -9` and power loss, and a torn write can
/// only ever leave a temporary file, never a damaged job. Concurrent enqueues share one flush (group commit). Every change is one atomic rename or unlink, so several
/// processes can share the folder without locks.
public final class FileJobQueue: JobQueue {
    /// The queue's folder.
    public let directory: URL
    private let clock: any WallClock
    private let logger: Logger
    private let group: GroupCommit
    /// Decoded jobs by file name, with the file's identity when it was read: a job file is never
    /// rewritten in place (each write is a new file renamed over it), so an unchanged inode, size and
    /// modification time mean unchanged content, and `pending()` need not read and decode every file.
    private let decoded = Mutex<[String: (identity: FileIdentity, job: Job)]>([:])

    struct FileIdentity: Equatable {
        let inode: UInt64
        let size: Int64
        let seconds: Int
        let nanoseconds: Int
    }

    /// Opens (creating if needed) the queue in `directory`.
    public init(directory: URL, clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "gallery.queue"))
        throws
    {
        self.directory = directory.standardizedFileURL
        self.clock = clock
        self.logger = logger
        self.group = GroupCommit(directory: directory.standardizedFileURL.path)
        do {
            try FileManager.default.createDirectory(at: self.directory, withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError.io(
                "cannot create the job queue at \(self.directory.path): \(error.localizedDescription)")
        }
    }

    private func path(for key: String) -> String { directory.path + "/" + JobRecord.fileName(for: key) }

    public func enqueue(_ job: Job) async throws {
        let final = path(for: job.key)
        let temporary = try DurableFile.writeTemporary(JobRecord.encode(job), beside: final)
        try await group.commit(temporary: temporary, final: final)
    }

    public func job(for key: String) async throws -> Job? {
        guard let data = FileManager.default.contents(atPath: path(for: key)) else { return nil }
        guard let job = try? JobRecord.decode(data), job.key == key, !job.isExpired(at: clock.now()) else { return nil }
        return job
    }

    public func pending() async throws -> [Job] {
        let now = clock.now()
        let names = jobFiles()
        let jobs = names.compactMap { name in readJob(named: name).flatMap { $0.isExpired(at: now) ? nil : $0 } }
        let present = Set(names)
        decoded.withLock { cache in cache = cache.filter { present.contains($0.key) } }
        return jobs.sorted { ($0.createdAt, $0.key) < ($1.createdAt, $1.key) }
    }

    /// The job in file `name`, from the cache when the file is the one that was decoded.
    private func readJob(named name: String) -> Job? {
        let path = directory.path + "/" + name
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        let identity = FileIdentity(
            inode: UInt64(info.st_ino), size: Int64(info.st_size), seconds: info.st_mtim.tv_sec,
            nanoseconds: info.st_mtim.tv_nsec)
        if let cached = decoded.withLock({ $0[name] }), cached.identity == identity { return cached.job }
        guard let data = FileManager.default.contents(atPath: path), let job = try? JobRecord.decode(data) else {
            return nil
        }
        decoded.withLock { $0[name] = (identity, job) }
        return job
    }

    public func count() async throws -> Int { jobFiles().count }

    public func claim(key: String) async throws -> JobClaim {
        let descriptor = open(path(for: key), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return .noJob }
            throw DurableFile.posixError("open the job for \(key)")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let problem = errno
            close(descriptor)
            if problem == EWOULDBLOCK { return .heldElsewhere }
            throw ObjectStoreError.io("cannot lock the job for \(key): errno \(problem)")
        }
        return .claimed(JobLock(descriptor: descriptor))
    }

    public func remove(key: String) async throws {
        if try DurableFile.remove(path(for: key)) {
            try DurableFile.syncDirectory(directory.path)
        }
    }

    public func sweep() async throws -> SweepReport {
        var report = SweepReport()
        let now = clock.now()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names {
            let path = directory.path + "/" + name
            if name.hasPrefix(".tmp-") {
                // A writer that is still running finishes within seconds; older ones were interrupted.
                let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
                if let modified, now.timeIntervalSince(modified) > 60, try DurableFile.remove(path) {
                    report.temporaryFiles += 1
                }
                continue
            }
            guard name.hasSuffix(".job"), let data = FileManager.default.contents(atPath: path) else { continue }
            do {
                let job = try JobRecord.decode(data)
                if job.isExpired(at: now), try DurableFile.remove(path) { report.expired += 1 }
            } catch {
                try quarantine(name)
                report.quarantined += 1
                logger.warning(
                    "moved an unreadable job file aside", metadata: ["file": "\(name)", "problem": "\(error)"])
            }
        }
        if report != SweepReport() { try DurableFile.syncDirectory(directory.path) }
        return report
    }

    private func jobFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasSuffix(".job") }
    }

    private func quarantine(_ name: String) throws {
        let corrupt = directory.appendingPathComponent("corrupt")
        try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
        do {
            try FileManager.default.moveItem(atPath: directory.path + "/" + name, toPath: corrupt.path + "/" + name)
        } catch {
            throw ObjectStoreError.io(
                "cannot move the unreadable job file \(name) aside: \(error.localizedDescription)")
        }
    }
}
