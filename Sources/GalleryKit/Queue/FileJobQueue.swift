public import Foundation
public import Logging
import Synchronization

/// The job queue on disk: a log in a folder (`jobs/` by default).
///
/// Every change is a record appended to this process's own segment file (`*.segment`, format in
/// `JobLog`) and flushed before `enqueue` or `remove` returns; concurrent changes share one `pwrite`
/// and one `fdatasync` (group commit, see `SegmentWriter`). An acknowledged enqueue survives
/// `kill -9` and power loss, and a torn write can only cut short the records that were never
/// acknowledged. Each process writes its own segment and reads everyone's (`SegmentReader`), so
/// several processes share the folder without locks on the write path. `sweep()` rewrites the
/// segments no process is writing into one, without the expired and finished jobs
/// (`SegmentCompactor`). Claims are `flock` locks on files in `claims/` (`ClaimFiles`).
///
/// Its failures are `JobQueueError`s.
public final class FileJobQueue: JobQueue {
    /// The queue's folder.
    public let directory: URL
    private let path: String
    private let clock: any WallClock
    private let logger: Logger
    private let writer: SegmentWriter
    private let reader: Mutex<SegmentReader>
    private let claims: ClaimFiles
    private let claimWaiter = ClaimWaiter()
    private let compactor: SegmentCompactor
    /// Whether this process removed a job since its segment was last closed for compaction.
    private let removedSinceSeal = Atomic(false)

    /// Opens (creating if needed) the queue in `directory`, bringing in job files of earlier versions.
    ///
    /// `capacity`: how many jobs to make room for up front (the queue's limit), so that growing the
    /// in-memory index does not stall presigns; at most `largestReservation`. The room is filled
    /// in at random as jobs arrive, so it soon costs its full memory (about 170 bytes a job of room).
    /// `clock` dates expiry checks, sweeps and segment names.
    public init(
        directory: URL, capacity: Int = 0, clock: any WallClock = SystemClock(),
        logger: Logger = Logger(label: "gallery.queue")
    ) throws {
        self.directory = directory.standardizedFileURL
        let path = self.directory.path
        self.path = path
        self.clock = clock
        self.logger = logger
        let names = SegmentNames(clock: clock)
        self.writer = SegmentWriter(directory: path, names: names)
        self.reader = Mutex(
            SegmentReader(directory: path, capacity: min(max(0, capacity), Self.largestReservation)))
        self.claims = ClaimFiles(folder: path + "/claims")
        self.compactor = SegmentCompactor(directory: path, names: names, logger: logger)
        try Self.reporting(path) {
            do {
                try FileManager.default.createDirectory(atPath: claims.folder, withIntermediateDirectories: true)
            } catch {
                throw FileSystemError("create the job queue", reason: error.localizedDescription)
            }
            let earlier = try EarlierJobFiles(in: path, logger: logger)
            if !earlier.records.isEmpty { try writer.writeNow(earlier.records) }
            try earlier.finish(in: path, logger: logger)
        }
    }

    deinit { writer.stop() }

    /// The most jobs room is made for up front (about 34 MB): a larger limit grows the index as it
    /// fills, with a pause at each doubling past this.
    public static let largestReservation = 3 << 16

    /// Closes this queue's segment once what was written is on disk, so a sweep in any process may
    /// compact it now. Writing again starts a new segment.
    public func seal() async throws { try await reporting { try await writer.seal() } }

    // MARK: Changes

    public func enqueue(_ job: Job) async throws {
        let entry = JobLogEntry.queued(job)
        try await reporting { try await writer.append(JobLog.encode(entry)) }
        reader.withLock { $0.apply([entry]) }
    }

    public func remove(key: String) async throws {
        let versions = read { $0.versions(of: key) }
        guard !versions.isEmpty else { return }
        let entries = versions.map { JobLogEntry.removed(key: key, createdAt: $0) }
        try await reporting { try await writer.append(entries.flatMap(JobLog.encode)) }
        reader.withLock { $0.apply(entries) }
        removedSinceSeal.store(true, ordering: .relaxed)
        claims.forget(key: key)
    }

    // MARK: Reads

    public func job(for key: String) async throws -> Job? {
        guard let job = read({ $0.job(for: key) }), !job.isExpired(at: clock.now()) else { return nil }
        return job
    }

    public func pending() async throws -> [Job] {
        let now = clock.now()
        return read(\.jobs).filter { !$0.isExpired(at: now) }.sorted {
            ($0.createdAt, $0.key) < ($1.createdAt, $1.key)
        }
    }

    public func count() async throws -> Int { read(\.count) }

    /// Catches up with every segment, then reads the index.
    private func read<T>(_ body: (JobIndex) -> T) -> T {
        let writing = writer.segmentName
        return reader.withLock { reader in
            reader.catchUp(writing: writing)
            return body(reader.index)
        }
    }

    // MARK: Claims

    public func claim(key: String) async throws -> JobClaim {
        try await reporting { try claims.claim(key: key) { read { $0.job(for: key) != nil } } }
    }

    public func awaitRelease(key: String, within patience: Duration) async -> Bool {
        await claimWaiter.waitForRelease(of: claims.path(for: key), within: patience)
    }

    // MARK: Sweeping

    public func sweep() async throws -> SweepReport {
        try await reporting {
            var report = SweepReport()
            report.temporaryFiles = compactor.removeInterruptedWrites(now: clock.now())
            let earlier = try EarlierJobFiles(in: path, logger: logger)
            if !earlier.records.isEmpty { try await writer.append(earlier.records) }
            try earlier.finish(in: path, logger: logger)
            report.quarantined += earlier.quarantined
            // This process's segment is closed for compaction only when that frees something.
            let now = clock.now()
            if removedSinceSeal.exchange(false, ordering: .relaxed) || read({ $0.containsExpired(at: now) }) {
                try await writer.seal()
            }
            let compacted = try compactor.compact(now: clock.now())
            report.expired = compacted.expired
            report.quarantined += compacted.quarantined
            claims.removeUnused { read { $0 } }
            return report
        }
    }

    // MARK: Failures

    /// Runs `body`, reporting a file-system failure as the queue's own.
    private func reporting<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() } catch let failure as FileSystemError {
            throw JobQueueError.storage(directory: path, failure: failure.description)
        }
    }

    private static func reporting(_ path: String, _ body: () throws -> Void) throws {
        do { try body() } catch let failure as FileSystemError {
            throw JobQueueError.storage(directory: path, failure: failure.description)
        }
    }
}
