import Crypto
public import Foundation
public import Logging
import SigV4
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The job queue on disk: a log in a folder (`jobs/` by default).
///
/// Every change is a record appended to this process's own segment file (`*.segment`, format in
/// `JobLog`) and flushed before `enqueue` or `remove` returns; concurrent changes share one `pwrite`
/// and one `fdatasync` (group commit, see `SegmentWriter`). An acknowledged enqueue survives
/// `kill -9` and power loss, and a torn write can only cut short the records that were never
/// acknowledged. Each process writes its own segment and reads everyone's, so several processes
/// share the folder without locks on the write path. `sweep()` rewrites the segments no process is
/// writing into one, without the expired and finished jobs (compaction).
///
/// Claims are `flock` locks on small files in `claims/`, one per job being processed.
public final class FileJobQueue: JobQueue {
    /// The queue's folder.
    public let directory: URL
    private let path: String
    private let clock: any WallClock
    private let logger: Logger
    private let writer: SegmentWriter
    private let state: Mutex<ReadState>

    /// What this process has read of every segment.
    struct ReadState: ~Copyable {
        /// Jobs the index has room for (the queue's limit).
        let capacity: Int
        var index: JobIndex
        var segments: [String: (fd: Int32, next: Int)] = [:]
        /// Whether this process removed a job since its segment was last closed for compaction.
        var removedSinceSeal = false
        /// Segments this process writes or wrote since `index` was last built from scratch: their
        /// records are folded in as they are written, so they are never read back.
        var own: Set<String> = []

        init(capacity: Int) {
            self.capacity = capacity
            index = JobIndex(capacity: capacity)
        }

        mutating func forget() {
            for segment in segments.values { close(segment.fd) }
            segments = [:]
            index = JobIndex(capacity: capacity)
            own = []
        }

        deinit { for segment in segments.values { close(segment.fd) } }
    }

    /// Opens (creating if needed) the queue in `directory`, bringing in job files of earlier versions.
    ///
    /// `capacity`: how many jobs to make room for up front (the queue's limit), so that growing the
    /// in-memory index does not stall presigns; at most `largestReservation`. The room is filled
    /// in at random as jobs arrive, so it soon costs its full memory (about 170 bytes a job of room).
    public init(
        directory: URL, capacity: Int = 0, clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "gallery.queue")
    ) throws {
        self.directory = directory.standardizedFileURL
        self.state = Mutex(ReadState(capacity: min(max(0, capacity), Self.largestReservation)))
        self.path = self.directory.path
        self.clock = clock
        self.logger = logger
        self.writer = SegmentWriter(directory: self.directory.path)
        do {
            try FileManager.default.createDirectory(
                at: self.directory.appendingPathComponent("claims"), withIntermediateDirectories: true)
        } catch {
            throw ObjectStoreError.io(
                "cannot create the job queue at \(self.directory.path): \(error.localizedDescription)")
        }
        let earlier = try jobFilesOfEarlierVersions()
        if !earlier.records.isEmpty { try writer.writeNow(earlier.records) }
        try finishMigration(earlier)
    }

    deinit { writer.stop() }

    /// The most jobs room is made for up front (about 34 MB): a larger limit grows the index as it
    /// fills, with a pause at each doubling past this.
    public static let largestReservation = 3 << 16

    /// Closes this queue's segment once what was written is on disk, so a sweep in any process may
    /// compact it now. Writing again starts a new segment.
    public func seal() async throws { try await writer.seal() }

    // MARK: Changes

    public func enqueue(_ job: Job) async throws {
        let entry = JobLogEntry.queued(job)
        try await writer.append(JobLog.encode(entry))
        state.withLock { $0.index.apply(entry) }
    }

    public func remove(key: String) async throws {
        let versions = state.withLock { state in
            refresh(&state)
            return state.index.versions(of: key)
        }
        guard !versions.isEmpty else { return }
        let entries = versions.map { JobLogEntry.removed(key: key, createdAt: $0) }
        try await writer.append(entries.flatMap(JobLog.encode))
        state.withLock { state in
            state.index.apply(entries)
            state.removedSinceSeal = true
        }
        // A claim made from here on finds no job; one holding the old file finds none either once it is released.
        _ = unlink(claimPath(for: key))
    }

    // MARK: Reads

    public func job(for key: String) async throws -> Job? {
        let job = state.withLock { state in
            refresh(&state)
            return state.index.job(for: key)
        }
        guard let job, !job.isExpired(at: clock.now()) else { return nil }
        return job
    }

    public func pending() async throws -> [Job] {
        let now = clock.now()
        let jobs = state.withLock { state in
            refresh(&state)
            return state.index.jobs
        }
        return jobs.filter { !$0.isExpired(at: now) }.sorted { ($0.createdAt, $0.key) < ($1.createdAt, $1.key) }
    }

    public func count() async throws -> Int {
        state.withLock { state in
            refresh(&state)
            return state.index.count
        }
    }

    /// Reads what was appended to every segment since the last read. A segment that disappeared was
    /// compacted into another: then everything is read again from the start.
    private func refresh(_ state: inout ReadState) {
        let names = SegmentFile.names(in: path)
        let present = Set(names)
        if state.segments.keys.contains(where: { !present.contains($0) }) { state.forget() }
        let current = writer.segmentName
        for name in names {
            var segment: (fd: Int32, next: Int)
            if let known = state.segments[name] {
                if name == current { state.own.insert(name) }
                if state.own.contains(name) { continue }
                segment = known
            } else {
                let fd = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }  // compacted away since the listing
                segment = (fd, 0)
            }
            let read = SegmentFile.readNew(segment.fd, from: segment.next)
            state.index.apply(read.entries)
            segment.next = read.next
            state.segments[name] = segment
        }
    }

    // MARK: Claims

    public func claim(key: String) async throws -> JobClaim {
        func jobExists() -> Bool {
            state.withLock { state in
                refresh(&state)
                return state.index.job(for: key) != nil
            }
        }
        // Most object-created signals are for objects without a job (pages, feeds): no claim file for those.
        guard jobExists() else { return .noJob }
        let path = claimPath(for: key)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw DurableFile.posixError("open the claim for \(key)") }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let problem = errno
            close(descriptor)
            if problem == EWOULDBLOCK { return .heldElsewhere }
            throw ObjectStoreError.io("cannot lock the claim for \(key): errno \(problem)")
        }
        // Whoever held it before may have finished the job.
        guard jobExists() else {
            close(descriptor)
            return .noJob
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_size == 0 {
            // The key, for the sweep that removes claim files left behind.
            try? SegmentFile.write(Array(key.utf8), to: descriptor, at: 0, path: path)
        }
        return .claimed(JobLock(descriptor: descriptor))
    }

    private func claimPath(for key: String) -> String {
        path + "/claims/" + SHA256.hash(data: Data(key.utf8)).hexString + ".claim"
    }

    // MARK: Sweeping

    public func sweep() async throws -> SweepReport {
        var report = SweepReport()
        report.temporaryFiles = removeInterruptedWrites()
        let earlier = try jobFilesOfEarlierVersions()
        if !earlier.records.isEmpty { try await writer.append(earlier.records) }
        try finishMigration(earlier)
        report.quarantined += earlier.quarantined
        let compacted = try await compact()
        report.expired = compacted.expired
        report.quarantined += compacted.quarantined
        removeUnusedClaims()
        return report
    }

    /// Rewrites the segments no process writes any more (this one's included: it moves to a new
    /// segment first) into one holding only what is still needed. One compaction at a time.
    private func compact() async throws -> (expired: Int, quarantined: Int) {
        // This process's segment is closed for compaction only when that frees something.
        let now = clock.now()
        if state.withLock({ $0.removedSinceSeal || $0.index.containsExpired(at: now) }) {
            state.withLock { $0.removedSinceSeal = false }
            try await writer.seal()
        }
        guard SegmentFile.names(in: path).contains(where: isWrittenByNobody) else { return (0, 0) }
        let lock = open(path + "/compaction.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw DurableFile.posixError("open \(path)/compaction.lock") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { return (0, 0) }  // another process is at it

        var sealed: [(name: String, fd: Int32, contents: JobLog.Contents)] = []
        var stillWritten: [JobLogEntry] = []
        defer { for segment in sealed { close(segment.fd) } }
        for name in SegmentFile.names(in: path) {
            let fd = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                sealed.append((name, fd, JobLog.decode(SegmentFile.readAll(fd), salvaging: true)))
            } else {
                stillWritten += SegmentFile.readNew(fd, from: 0).entries
                close(fd)
            }
        }
        let sealedEntries = sealed.flatMap(\.contents.entries)
        let plan = JobLogCompaction.plan(sealed: sealedEntries, open: stillWritten, now: clock.now())
        let damaged = sealed.filter(\.contents.isDamaged)
        // One clean segment that would be rewritten as it is: nothing to do.
        guard sealed.count > 1 || plan.keep != sealedEntries || !damaged.isEmpty else { return (0, 0) }

        for segment in damaged {
            try quarantine(segment.name)
            logger.warning(
                "a queue segment had unreadable bytes; its whole records were kept and a copy moved to corrupt/",
                metadata: ["segment": "\(segment.name)", "salvaged": "\(segment.contents.salvaged)"])
        }
        for segment in sealed where segment.contents.ending == .torn && !segment.contents.isDamaged {
            logger.notice(
                "dropped the cut-short last record of a queue segment (a write interrupted before it was acknowledged)",
                metadata: ["segment": "\(segment.name)"])
        }
        if !plan.keep.isEmpty {
            let name = SegmentFile.newName(now: clock.now())
            try DurableFile.write(
                Data(plan.keep.flatMap(JobLog.encode)), to: path + "/" + name, syncDirectory: true)
        }
        for segment in sealed { try DurableFile.remove(path + "/" + segment.name) }
        try DurableFile.syncDirectory(path)
        return (plan.expired, damaged.count)
    }

    /// Whether no writer holds the segment `name`.
    private func isWrittenByNobody(_ name: String) -> Bool {
        let fd = open(path + "/" + name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    /// Copies a damaged segment into `corrupt/` (the compaction then replaces the original).
    private func quarantine(_ name: String) throws {
        let corrupt = directory.appendingPathComponent("corrupt")
        let target = corrupt.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: target.path) {
                try FileManager.default.copyItem(atPath: path + "/" + name, toPath: target.path)
            }
        } catch {
            throw ObjectStoreError.io("cannot copy the damaged segment \(name) aside: \(error.localizedDescription)")
        }
    }

    /// Deletes temporary files of writes interrupted more than a minute ago; returns how many.
    private func removeInterruptedWrites() -> Int {
        let now = clock.now()
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [] where name.hasPrefix(".tmp-") {
            let file = path + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
            // A running writer finishes within seconds; a segment being created is locked by its writer.
            guard let modified, now.timeIntervalSince(modified) > 60 else { continue }
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0, (try? DurableFile.remove(file)) == true { removed += 1 }
        }
        return removed
    }

    /// Removes the claim files of jobs that are gone and that nobody holds.
    private func removeUnusedClaims() {
        let folder = path + "/claims"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        guard !names.isEmpty else { return }
        let index = state.withLock { state in
            refresh(&state)
            return state.index
        }
        for name in names where name.hasSuffix(".claim") {
            let file = folder + "/" + name
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            let key = String(decoding: SegmentFile.readAll(fd), as: UTF8.self)
            // A job, once removed, is never queued again: a claim racing this unlink finds no job either.
            if key.isEmpty || index.job(for: key) == nil { unlink(file) }
        }
    }

    // MARK: Job files of earlier versions

    /// Job files of the one-file-per-job queue of earlier versions (`<sha256>.job`), as log records.
    struct EarlierJobFiles {
        var records: [UInt8] = []
        var names: [String] = []
        var quarantined = 0
    }

    /// Reads the job files of earlier versions; unreadable ones are moved to `corrupt/`.
    private func jobFilesOfEarlierVersions() throws -> EarlierJobFiles {
        var found = EarlierJobFiles()
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for name in names where name.hasSuffix(".job") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: path + "/" + name) else { continue }
            if let job = try? JobRecord.decode(data) {
                JobLog.encode(.queued(job), into: &found.records)
                found.names.append(name)
            } else {
                try moveAside(name)
                found.quarantined += 1
                logger.warning("moved an unreadable job file aside", metadata: ["file": "\(name)"])
            }
        }
        return found
    }

    /// Deletes the job files whose jobs are now in the log.
    private func finishMigration(_ files: EarlierJobFiles) throws {
        guard !files.names.isEmpty || files.quarantined > 0 else { return }
        for name in files.names { try DurableFile.remove(path + "/" + name) }
        try DurableFile.syncDirectory(path)
        logger.info(
            "brought job files of an earlier version into the queue's log", metadata: ["jobs": "\(files.names.count)"])
    }

    private func moveAside(_ name: String) throws {
        let corrupt = directory.appendingPathComponent("corrupt")
        do {
            try FileManager.default.createDirectory(at: corrupt, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: path + "/" + name, toPath: corrupt.path + "/" + name)
        } catch {
            throw ObjectStoreError.io("cannot move the unreadable job file \(name) aside: \(error.localizedDescription)")
        }
    }
}
