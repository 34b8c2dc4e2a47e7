import Foundation
import Logging

/// The job files of the one-file-per-job queue of earlier versions (`<sha256>.job` in the queue's
/// folder), read as log records so the queue can bring them into its log, and deleted once they are
/// there. Unreadable ones are moved to `corrupt/`, never deleted unread.
struct EarlierJobFiles {
    /// The queued records of the readable files, in the log's format.
    private(set) var records: [UInt8] = []
    /// The readable files' names.
    private(set) var names: [String] = []
    /// How many unreadable files were moved aside.
    private(set) var quarantined = 0

    /// Reads the job files in `directory`.
    init(in directory: String, logger: Logger) throws {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in entries where name.hasSuffix(".job") && !name.hasPrefix(".") {
            guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
            if let job = try? JobRecord.decode(data) {
                JobLog.encode(.queued(job), into: &records)
                names.append(name)
            } else {
                try Self.moveAside(name, in: directory)
                quarantined += 1
                logger.warning("moved an unreadable job file aside", metadata: ["file": "\(name)"])
            }
        }
    }

    /// Deletes the readable files: call once their records are in the log.
    func finish(in directory: String, logger: Logger) throws {
        guard !names.isEmpty || quarantined > 0 else { return }
        for name in names { try DurableFile.remove(directory + "/" + name) }
        try DurableFile.syncDirectory(directory)
        logger.info(
            "brought job files of an earlier version into the queue's log", metadata: ["jobs": "\(names.count)"])
    }

    private static func moveAside(_ name: String, in directory: String) throws {
        let corrupt = directory + "/corrupt"
        do {
            try FileManager.default.createDirectory(atPath: corrupt, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: directory + "/" + name, toPath: corrupt + "/" + name)
        } catch {
            throw FileSystemError("move the unreadable job file \(name) aside", reason: error.localizedDescription)
        }
    }
}
