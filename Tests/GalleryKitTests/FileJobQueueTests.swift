import Foundation
import GalleryKit
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

struct FileJobQueueTests {
    let clock = ManualClock(Date(timeIntervalSince1970: 1_764_078_307))

    func job(_ key: String, _ title: String = "A title", lifetime: TimeInterval = 1500) -> Job {
        Job(key: key, title: try! Title(normalizing: title), createdAt: clock.now(), expiresAt: clock.now() + lifetime)
    }

    @Test func enqueueFindRemove() async throws {
        let queue = try FileJobQueue(directory: try Fixtures.temporaryDirectory(), clock: clock)
        try await queue.enqueue(job("photos/a", "First"))
        clock.advance(by: 1)
        try await queue.enqueue(job("photos/b", "Second"))
        #expect(try await queue.job(for: "photos/a")?.title.text == "First")
        #expect(try await queue.pending().map(\.key) == ["photos/a", "photos/b"])
        try await queue.remove(key: "photos/a")
        try await queue.remove(key: "photos/a")  // removing twice is fine
        #expect(try await queue.job(for: "photos/a") == nil)
        #expect(try await queue.pending().map(\.key) == ["photos/b"])
    }

    @Test func expiredJobsAreInvisibleThenSwept() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let queue = try FileJobQueue(directory: directory, clock: clock)
        try await queue.enqueue(job("photos/short", lifetime: 60))
        try await queue.enqueue(job("photos/long", lifetime: 3600))
        clock.advance(by: 59)
        #expect(try await queue.job(for: "photos/short") != nil)
        clock.advance(by: 1)
        #expect(try await queue.job(for: "photos/short") == nil)
        #expect(try await queue.pending().map(\.key) == ["photos/long"])
        // Invisible, but still on disk until a sweep.
        #expect(Fixtures.snapshot(directory).count == 2)
        #expect(try await queue.sweep() == SweepReport(expired: 1))
        #expect(Fixtures.snapshot(directory).count == 1)
        #expect(try await queue.sweep() == SweepReport())
    }

    @Test func damagedFilesNeverHideOtherJobsAndAreMovedAsideNotDeleted() async throws {
        let directory = try Fixtures.temporaryDirectory()
        // The sweep's notion of an old temporary file follows the file system's clock: use the real one.
        let queue = try FileJobQueue(directory: directory)
        try await queue.enqueue(
            Job(key: "photos/good", title: try Title(normalizing: "Good"), createdAt: Date(), expiresAt: Date() + 600))
        let damaged = directory.appendingPathComponent(JobRecord.fileName(for: "photos/torn"))
        try Data(#"{"createdAt":"2025-11-25T13:4"#.utf8).write(to: damaged)
        let leftover = directory.appendingPathComponent(".tmp-interrupted")
        try Data("partial".utf8).write(to: leftover)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: leftover.path)

        #expect(try await queue.pending().map(\.key) == ["photos/good"])
        #expect(try await queue.job(for: "photos/torn") == nil)
        let report = try await queue.sweep()
        #expect(report.quarantined == 1)
        #expect(report.temporaryFiles == 1)
        #expect(
            FileManager.default.fileExists(
                atPath: directory.appendingPathComponent("corrupt/" + damaged.lastPathComponent).path))
        #expect(try await queue.pending().map(\.key) == ["photos/good"])
    }

    /// A child process queues jobs as fast as it can; it is killed with SIGKILL mid-stream. Every job it
    /// acknowledged must be there and readable, and no file in the queue may be damaged.
    @Test func acknowledgedJobsSurviveAKilledWriter() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let child = try GalleryProcess(
            ["jobs", "import", "--jobs", directory.path], logDirectory: directory.deletingLastPathComponent())
        let total = 5000
        let writer = Task.detached {
            var lines = Data()
            for index in 0..<total {
                lines += Data(#"{"key":"photos/k\#(index)","title":"Photo \#(index)"}"#.utf8 + [0x0A])
            }
            try? child.stdin.fileHandleForWriting.write(contentsOf: lines)
        }
        // Read acknowledgements until a few hundred are in, then kill the writer mid-stream.
        var acknowledged: [String] = []
        var buffer = Data()
        let handle = child.stdout.fileHandleForReading
        while acknowledged.count < 300 {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            buffer += chunk
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer = buffer[(newline + 1)...]
                if line.hasPrefix("queued ") { acknowledged.append(String(line.dropFirst(7))) }
            }
        }
        child.stop(signal: SIGKILL)
        writer.cancel()
        // Acknowledgements already in the pipe when the child died are acknowledged too.
        buffer += handle.readDataToEndOfFile()
        for line in String(decoding: buffer, as: UTF8.self).split(separator: "\n") where line.hasPrefix("queued ") {
            acknowledged.append(String(line.dropFirst(7)))
        }

        #expect(acknowledged.count >= 300, "the child acknowledged \(acknowledged.count) jobs; \(child.log)")
        #expect(acknowledged.count < total, "the child finished before it was killed; kill it earlier")
        let queue = try FileJobQueue(directory: directory)
        let pending = Set(try await queue.pending().map(\.key))
        let lost = acknowledged.filter { !pending.contains($0) }
        #expect(lost.isEmpty, "lost \(lost.count) acknowledged jobs")
        // Nothing damaged: every .job file decodes; at most one temporary file from the interrupted write.
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        for name in names where name.hasSuffix(".job") {
            let data = try Data(contentsOf: directory.appendingPathComponent(name))
            #expect(throws: Never.self) { try JobRecord.decode(data) }
        }
        #expect(names.filter { $0.hasPrefix(".tmp-") }.count <= 1)
        print(
            "kill -9 test: \(acknowledged.count) jobs acknowledged before SIGKILL, \(pending.count) on disk, lost: \(lost.count)"
        )
    }

    /// `pending()` keeps decoded jobs between calls; a job another process replaced or removed is
    /// never served from that memory.
    @Test func pendingSeesJobsReplacedOrRemovedByAnotherProcess() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let mine = try FileJobQueue(directory: directory, clock: clock)
        let theirs = try FileJobQueue(directory: directory, clock: clock)
        func job(_ title: String) throws -> Job {
            Job(
                key: "photos/k", title: try Title(normalizing: title), createdAt: clock.now(),
                expiresAt: clock.now() + 600)
        }
        try await mine.enqueue(try job("First"))
        #expect(try await mine.pending().map(\.title.text) == ["First"])
        try await theirs.enqueue(try job("Second"))
        #expect(try await mine.pending().map(\.title.text) == ["Second"])
        try await theirs.remove(key: "photos/k")
        #expect(try await mine.pending().isEmpty)
    }

    /// The server and a CLI command share the folder: neither loses the other's jobs.
    @Test func twoProcessesAtOnce() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let child = try GalleryProcess(
            ["jobs", "import", "--jobs", directory.path], logDirectory: directory.deletingLastPathComponent())
        let count = 300
        let childLines =
            (0..<count).map { #"{"key":"photos/cli-\#($0)","title":"From the CLI \#($0)"}"# }.joined(separator: "\n")
            + "\n"
        let feeder = Task.detached {
            try child.stdin.fileHandleForWriting.write(contentsOf: Data(childLines.utf8))
            try child.stdin.fileHandleForWriting.close()
        }
        let queue = try FileJobQueue(directory: directory)
        for index in 0..<count {
            let now = Date()
            try await queue.enqueue(
                Job(
                    key: "photos/server-\(index)", title: try Title(normalizing: "Server \(index)"), createdAt: now,
                    expiresAt: now + 600))
            if index % 3 == 0 { try await queue.remove(key: "photos/server-\(index)") }
        }
        try await feeder.value
        child.process.waitUntilExit()
        #expect(child.process.terminationStatus == 0, "\(child.log)")
        let keys = Set(try await queue.pending().map(\.key))
        let expected = Set(
            (0..<count).map { "photos/cli-\($0)" } + (0..<count).filter { $0 % 3 != 0 }.map { "photos/server-\($0)" })
        #expect(keys == expected)
    }
}
