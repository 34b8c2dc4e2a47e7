import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Rewrites the segments no process writes any more into one that holds only what is still needed
/// (`JobLogCompaction` decides what), setting damaged ones aside in `corrupt/` first. One
/// compaction at a time among the processes sharing the folder (`compaction.lock`).
struct SegmentCompactor: Sendable {
    /// The queue's folder.
    let directory: String
    let names: SegmentNames
    let logger: Logger

    /// What one compaction did.
    struct Outcome {
        var expired = 0
        var quarantined = 0
    }

    /// Compacts the sealed segments, if any, as of `now`. Nothing happens while another process
    /// compacts, or when one clean segment would be rewritten as it is.
    func compact(now: Date) throws -> Outcome {
        guard SegmentFile.names(in: directory).contains(where: isWrittenByNobody) else { return Outcome() }
        let lock = open(directory + "/compaction.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw FileSystemError.lastCall("open \(directory)/compaction.lock") }
        defer { close(lock) }
        guard flock(lock, LOCK_EX | LOCK_NB) == 0 else { return Outcome() }  // another process is at it

        var sealed: [(name: String, fd: Int32, contents: JobLog.Contents)] = []
        var stillWritten: [JobLogEntry] = []
        defer { for segment in sealed { close(segment.fd) } }
        for name in SegmentFile.names(in: directory) {
            let fd = open(directory + "/" + name, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 {
                sealed.append((name, fd, JobLog.decode(SegmentFile.readAll(fd), salvaging: true)))
            } else {
                stillWritten += SegmentFile.readNew(fd, from: 0).entries
                close(fd)
            }
        }
        let sealedEntries = sealed.flatMap(\.contents.entries)
        let plan = JobLogCompaction.plan(sealed: sealedEntries, open: stillWritten, now: now)
        let damaged = sealed.filter(\.contents.isDamaged)
        guard sealed.count > 1 || plan.keep != sealedEntries || !damaged.isEmpty else { return Outcome() }

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
            try DurableFile.write(
                Data(plan.keep.flatMap(JobLog.encode)), to: directory + "/" + names.next(), syncDirectory: true)
        }
        for segment in sealed { try DurableFile.remove(directory + "/" + segment.name) }
        try DurableFile.syncDirectory(directory)
        return Outcome(expired: plan.expired, quarantined: damaged.count)
    }

    /// Whether no writer holds the segment `name`.
    private func isWrittenByNobody(_ name: String) -> Bool {
        let fd = open(directory + "/" + name, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        return flock(fd, LOCK_EX | LOCK_NB) == 0
    }

    /// Copies a damaged segment into `corrupt/` (the compaction then replaces the original).
    private func quarantine(_ name: String) throws {
        let corrupt = directory + "/corrupt"
        let target = corrupt + "/" + name
        do {
            try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
            if !FileManager.default.fileExists(atPath: target) {
                try FileManager.default.copyItem(atPath: directory + "/" + name, toPath: target)
            }
        } catch {
            throw FileSystemError("copy the damaged segment \(name) aside", reason: error.localizedDescription)
        }
    }

    /// Deletes temporary files of writes interrupted more than a minute before `now`; returns how
    /// many. A running writer finishes within seconds, and a segment being created is locked by its writer.
    func removeInterruptedWrites(now: Date) -> Int {
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        where name.hasPrefix(".tmp-") {
            let file = directory + "/" + name
            let modified = (try? FileManager.default.attributesOfItem(atPath: file))?[.modificationDate] as? Date
            guard let modified, now.timeIntervalSince(modified) > 60 else { continue }
            let fd = open(file, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            if flock(fd, LOCK_EX | LOCK_NB) == 0, (try? DurableFile.remove(file)) == true { removed += 1 }
        }
        return removed
    }
}
