import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Appends records to this queue's own segment and makes concurrent appends durable together
/// (group commit).
///
/// One thread of its own does the writing: it takes every record that arrived while it was busy,
/// writes them with one `pwrite` into space allocated ahead (so the flush need not touch the file's
/// size) and flushes once with `fdatasync`, then resumes every waiting caller. Nothing blocks
/// Swift's cooperative threads, and an acknowledged append is on disk.
///
/// The segment is created under a temporary name, locked (`flock`) and only then renamed into
/// place, and stays locked while this writer may append to it: a compaction in any process
/// rewrites only segments it can lock.
///
/// Why `@unchecked Sendable`: the mutable state has two owners, each named at its declaration. The
/// request list and its flags are guarded by `condition` (an `NSCondition`: callers append under
/// it, the writing thread waits on it). The open segment belongs to the one writing thread (a
/// `Thread`, not a task: `fdatasync` blocks, and must not block Swift's cooperative threads), and
/// to `writeNow`/`stop` only before that thread starts. The name other threads read is a `Mutex`.
final class SegmentWriter: @unchecked Sendable {
    private let directory: String
    private let names: SegmentNames
    /// Segments are allocated this much at a time, and a writer moves to a new segment past `segmentLimit`.
    static let allocationStep = 1 << 20
    static let segmentLimit = 8 << 20

    private enum Request {
        case append([UInt8], CheckedContinuation<Void, any Error>)
        case seal(CheckedContinuation<Void, any Error>)
    }

    private let condition = NSCondition()
    // Guarded by `condition`.
    private var requests: [Request] = []
    private var started = false
    private var stopping = false

    // Only the writing thread touches these (or a caller of `writeNow` before the thread starts).
    private var segment: Segment?
    /// The current segment's name, for readers on other threads; set when a segment opens or closes.
    private let name = Mutex<String?>(nil)

    /// The name of the segment this writer appends to now, if any.
    var segmentName: String? { name.withLock { $0 } }

    private struct Segment {
        let fd: Int32
        let path: String
        var tail = 0
        var allocated = 0
    }

    init(directory: String, names: SegmentNames) {
        self.directory = directory
        self.names = names
    }

    /// Returns once `bytes` are appended to this queue's segment and flushed to disk.
    func append(_ bytes: [UInt8]) async throws {
        try await withCheckedThrowingContinuation { continuation in submit(.append(bytes, continuation)) }
    }

    /// Returns once everything appended before is on disk and the current segment is closed and
    /// unlocked, so a compaction may rewrite it. The next append starts a new segment.
    func seal() async throws {
        try await withCheckedThrowingContinuation { continuation in submit(.seal(continuation)) }
    }

    /// Appends and flushes `bytes` on the caller's thread; only before the first `append` or `seal`.
    func writeNow(_ bytes: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        precondition(!started, "writeNow is for start-up, before the writing thread runs")
        try write(bytes)
    }

    /// Lets the writing thread finish what is queued, close the segment and end.
    func stop() {
        condition.lock()
        stopping = true
        let running = started
        condition.signal()
        condition.unlock()
        if !running { closeSegment() }
    }

    private func submit(_ request: Request) {
        condition.lock()
        requests.append(request)
        if !started {
            started = true
            let thread = Thread { [self] in run() }
            thread.name = "gallery.queue-writer"
            thread.start()
        }
        // Wake the writer for the first request, and when enough are there to stop gathering.
        if requests.count == 1 || requests.count == Self.gatherTarget { condition.signal() }
        condition.unlock()
    }

    /// How long the writer waits for more appends before a flush, unless `gatherTarget` arrive
    /// sooner: a flush costs the kernel far more CPU than a wait, and under load every waiting
    /// append shares it (PostgreSQL's `commit_delay`).
    static let gatherDelay: TimeInterval = 0.001
    static let gatherTarget = 32

    private func run() {
        while true {
            condition.lock()
            while requests.isEmpty && !stopping { condition.wait() }
            if !stopping, requests.count < Self.gatherTarget {
                let until = Date(timeIntervalSinceNow: Self.gatherDelay)
                while !stopping, requests.count < Self.gatherTarget, condition.wait(until: until) {}
            }
            let batch = requests
            requests = []
            let finished = batch.isEmpty && stopping
            condition.unlock()
            if finished { break }
            process(batch)
        }
        closeSegment()
    }

    /// Writes the appends of `batch` together, up to each seal.
    private func process(_ batch: [Request]) {
        var bytes: [UInt8] = []
        var waiting: [CheckedContinuation<Void, any Error>] = []
        func flush() {
            guard !waiting.isEmpty else { return }
            do {
                try write(bytes)
                for continuation in waiting { continuation.resume() }
            } catch {
                for continuation in waiting { continuation.resume(throwing: error) }
            }
            bytes = []
            waiting = []
        }
        for request in batch {
            switch request {
            case .append(let record, let continuation):
                bytes += record
                waiting.append(continuation)
            case .seal(let continuation):
                flush()
                closeSegment()
                continuation.resume()
            }
        }
        flush()
    }

    /// Appends `bytes` to the segment (starting one if needed) and flushes them.
    private func write(_ bytes: [UInt8]) throws {
        if let current = segment, current.tail + bytes.count > Self.segmentLimit, current.tail > 0 {
            closeSegment()
        }
        var current = try segment ?? createSegment()
        do {
            if current.tail + bytes.count > current.allocated {
                let more = max(Self.allocationStep, current.tail + bytes.count - current.allocated)
                try SegmentFile.allocate(current.fd, at: current.allocated, count: more, path: current.path)
                current.allocated += more
            }
            try SegmentFile.write(bytes, to: current.fd, at: current.tail, path: current.path)
            try SegmentFile.syncData(current.fd, path: current.path)
            current.tail += bytes.count
            segment = current
        } catch {
            // What reached the file is unknown: leave it as it is (readers stop at anything torn) and
            // start a new segment next time.
            segment = current
            closeSegment()
            throw error
        }
    }

    /// Creates, locks, allocates and names a new segment, all durably, before anything is written to it.
    private func createSegment() throws -> Segment {
        let name = names.next()
        let temporary = directory + "/.tmp-" + name
        let path = directory + "/" + name
        let fd = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileSystemError.lastCall("create \(temporary)") }
        do {
            guard flock(fd, LOCK_EX) == 0 else { throw FileSystemError.lastCall("lock \(temporary)") }
            try SegmentFile.allocate(fd, at: 0, count: Self.allocationStep, path: temporary)
            guard fsync(fd) == 0 else { throw FileSystemError.lastCall("flush \(temporary)") }
            guard rename(temporary, path) == 0 else { throw FileSystemError.lastCall("rename to \(path)") }
            try DurableFile.syncDirectory(directory)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        let created = Segment(fd: fd, path: path, tail: 0, allocated: Self.allocationStep)
        segment = created
        self.name.withLock { $0 = name }
        return created
    }

    /// Gives the unused allocation back, unlocks and closes the segment.
    private func closeSegment() {
        guard let current = segment else { return }
        segment = nil
        name.withLock { $0 = nil }
        // Zeros past the tail read as the end either way; dropping them only saves space.
        _ = ftruncate(current.fd, off_t(current.tail))
        close(current.fd)
    }
}
