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
        // Invisible, but still stored until a sweep.
        #expect(try await queue.count() == 2)
        #expect(try await queue.sweep() == SweepReport(expired: 1))
        #expect(try await queue.count() == 1)
        #expect(segments(in: directory).count == 1)
        #expect(try await queue.sweep() == SweepReport())
        // What another process reads after the compaction.
        let reader = try FileJobQueue(directory: directory, clock: clock)
        #expect(try await reader.pending().map(\.key) == ["photos/long"])
        #expect(try await reader.count() == 1)
    }

    /// Damage in the middle of a segment loses only the damaged record: the reader stops there, the
    /// sweep salvages what follows and keeps a copy of the segment in `corrupt/`. Leftovers of
    /// interrupted writes are deleted; job files of the earlier format that cannot be read are moved aside.
    @Test func damagedSegmentsLoseOnlyTheDamagedRecordAndAreCopiedAside() async throws {
        let directory = try Fixtures.temporaryDirectory()
        // The sweep's notion of an old temporary file follows the file system's clock: use the real one.
        let now = Date()
        func job(_ key: String) throws -> Job {
            Job(key: key, title: try Title(normalizing: key), createdAt: now, expiresAt: now + 600)
        }
        let before = JobLog.encode(.queued(try job("photos/before")))
        var damaged = JobLog.encode(.queued(try job("photos/damaged")))
        damaged[damaged.count - 2] ^= 0xFF
        let after = JobLog.encode(.queued(try job("photos/after")))
        let segment = "000000000001-dead.segment"
        try Data(before + damaged + after).write(to: directory.appendingPathComponent(segment))
        try Data(#"{"createdAt":"2025-11-25T13:4"#.utf8).write(to: directory.appendingPathComponent("0123.job"))
        let leftover = directory.appendingPathComponent(".tmp-interrupted")
        try Data("partial".utf8).write(to: leftover)
        try FileManager.default.setAttributes([.modificationDate: now - 3600], ofItemAtPath: leftover.path)

        let queue = try FileJobQueue(directory: directory)
        // Opening moved the unreadable job file aside; a live reader stops at the damage.
        #expect(FileManager.default.fileExists(atPath: directory.appendingPathComponent("corrupt/0123.job").path))
        #expect(try await queue.pending().map(\.key) == ["photos/before"])
        let report = try await queue.sweep()
        #expect(report == SweepReport(quarantined: 1, temporaryFiles: 1))
        #expect(
            FileManager.default.contents(atPath: directory.appendingPathComponent("corrupt/" + segment).path)
                == Data(before + damaged + after))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent(segment).path))
        #expect(!FileManager.default.fileExists(atPath: leftover.path))
        #expect(Set(try await queue.pending().map(\.key)) == ["photos/before", "photos/after"])
        #expect(try await queue.sweep() == SweepReport())
    }

    /// A queue folder of the earlier one-file-per-job format is brought into the log when opened.
    @Test func jobFilesOfTheEarlierFormatAreBroughtIn() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let document =
            #"{"createdAt":"2025-11-25T13:45:07Z","expiresAt":"2025-11-25T14:10:07Z","key":"photos/old","title":"Kept","version":1}"#
        try Data(document.utf8).write(to: directory.appendingPathComponent(String(repeating: "a", count: 64) + ".job"))
        let queue = try FileJobQueue(directory: directory, clock: clock)
        #expect(try await queue.pending().map(\.title.text) == ["Kept"])
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(!names.contains { $0.hasSuffix(".job") })
        #expect(try await FileJobQueue(directory: directory, clock: clock).job(for: "photos/old")?.title.text == "Kept")
    }

    /// A sweep compacts only segments nobody writes: another process's changes, removals of this
    /// process's jobs included, survive it, and once that process is done its segment is compacted too.
    @Test func compactionLeavesSegmentsStillBeingWritten() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let mine = try FileJobQueue(directory: directory, clock: clock)
        let theirs = try FileJobQueue(directory: directory, clock: clock)
        for index in 0..<10 { try await mine.enqueue(job("photos/mine-\(index)")) }
        for index in 0..<5 { try await theirs.enqueue(job("photos/theirs-\(index)")) }
        for index in 0..<4 { try await theirs.remove(key: "photos/mine-\(index)") }
        try await mine.remove(key: "photos/theirs-0")
        let expected = Set((4..<10).map { "photos/mine-\($0)" } + (1..<5).map { "photos/theirs-\($0)" })

        #expect(try await mine.sweep() == SweepReport())
        #expect(segments(in: directory).count == 2, "their segment is still open")
        for queue in [mine, theirs, try FileJobQueue(directory: directory, clock: clock)] {
            #expect(Set(try await queue.pending().map(\.key)) == expected)
        }
        try await theirs.seal()
        #expect(try await mine.sweep() == SweepReport())
        #expect(segments(in: directory).count == 1)
        for queue in [mine, theirs, try FileJobQueue(directory: directory, clock: clock)] {
            #expect(Set(try await queue.pending().map(\.key)) == expected)
            #expect(try await queue.count() == expected.count)
        }
    }

    /// A claim holds a job against every other queue (process); a removed job cannot be claimed, and
    /// the sweep deletes claim files nobody needs.
    @Test func claimsExcludeOtherProcessesUntilReleased() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let mine = try FileJobQueue(directory: directory, clock: clock)
        let theirs = try FileJobQueue(directory: directory, clock: clock)
        try await mine.enqueue(job("photos/a"))
        try await mine.enqueue(job("photos/b"))
        #expect(try await theirs.claim(key: "photos/none").isNoJob)

        let held = try await mine.claim(key: "photos/a")
        #expect(held.isClaimed)
        #expect(try await theirs.claim(key: "photos/a").isHeldElsewhere)
        #expect(try await mine.claim(key: "photos/a").isHeldElsewhere, "a second claim in the same process waits too")
        held.release()
        let again = try await theirs.claim(key: "photos/a")
        #expect(again.isClaimed)
        try await theirs.remove(key: "photos/a")
        again.release()
        #expect(try await mine.claim(key: "photos/a").isNoJob)

        let abandoned = try await mine.claim(key: "photos/b")
        abandoned.release()
        let claims = directory.appendingPathComponent("claims")
        #expect(try FileManager.default.contentsOfDirectory(atPath: claims.path).count == 1)
        _ = try await mine.sweep()
        #expect(try FileManager.default.contentsOfDirectory(atPath: claims.path).count == 1, "b still has a job")
        try await mine.remove(key: "photos/b")
        #expect(try FileManager.default.contentsOfDirectory(atPath: claims.path).isEmpty)
    }

    /// Waiting for a claim another queue (process) holds ends when the holder lets go, and the claim
    /// then succeeds, or finds the job gone if the holder finished it; a wait whose patience runs
    /// out says so, and leaves no lock behind.
    @Test func aClaimHeldElsewhereCanBeWaitedFor() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let mine = try FileJobQueue(directory: directory, clock: clock)
        let theirs = try FileJobQueue(directory: directory, clock: clock)
        try await mine.enqueue(job("photos/a"))
        try await mine.enqueue(job("photos/b"))

        let held = try await mine.claim(key: "photos/a")
        #expect(held.isClaimed)
        #expect(try await theirs.claim(key: "photos/a").isHeldElsewhere)
        let letGo = Task {
            try await Task.sleep(for: .milliseconds(200))
            held.release()
        }
        // Let go after 0.2 s: true within the 30 s of patience can only come from the lock.
        #expect(await theirs.awaitRelease(key: "photos/a", within: .seconds(30)))
        try await letGo.value
        let claimed = try await theirs.claim(key: "photos/a")
        #expect(claimed.isClaimed)
        claimed.release()

        let finished = try await mine.claim(key: "photos/b")
        let finish = Task {
            try await Task.sleep(for: .milliseconds(200))
            try await mine.remove(key: "photos/b")
            finished.release()
        }
        #expect(await theirs.awaitRelease(key: "photos/b", within: .seconds(30)))
        try await finish.value
        #expect(try await theirs.claim(key: "photos/b").isNoJob)

        let kept = try await mine.claim(key: "photos/a")
        #expect(await theirs.awaitRelease(key: "photos/a", within: .milliseconds(100)) == false)
        kept.release()
        // The thread that waited on takes the lock once it is free, and lets go at once.
        #expect(await theirs.awaitRelease(key: "photos/a", within: .seconds(30)))
        let again = try await theirs.claim(key: "photos/a")
        #expect(again.isClaimed)
        again.release()
    }

    /// A claim that is dropped without `release()` (a thrown error on the way) lets go all the same.
    @Test func aDroppedClaimLetsGo() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let mine = try FileJobQueue(directory: directory, clock: clock)
        let theirs = try FileJobQueue(directory: directory, clock: clock)
        try await mine.enqueue(job("photos/a"))
        do {
            let dropped = try await mine.claim(key: "photos/a")
            #expect(dropped.isClaimed)
            #expect(try await theirs.claim(key: "photos/a").isHeldElsewhere)
        }
        let claimed = try await theirs.claim(key: "photos/a")
        #expect(claimed.isClaimed)
        claimed.release()
        claimed.release()  // a second release does nothing
        let again = try await mine.claim(key: "photos/a")
        #expect(again.isClaimed)
        again.release()
    }

    /// Segment names come from the injected clock and sort in the order this process made them,
    /// even while the clock stands still (replay reads segments in name order).
    @Test func segmentNamesFollowTheInjectedClockInTheOrderMade() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let queue = try FileJobQueue(directory: directory, clock: clock)
        var made: [String] = []
        for index in 0..<4 {
            try await queue.enqueue(job("photos/\(index)"))
            try await queue.seal()
            made += segments(in: directory).filter { !made.contains($0) }
        }
        #expect(made.count == 4)
        #expect(made == made.sorted())
        let milliseconds = UInt64(clock.now().timeIntervalSince1970 * 1000)
        #expect(made.map { UInt64($0.prefix(12), radix: 16) } == (0..<4).map { milliseconds + $0 })
        #expect(try await FileJobQueue(directory: directory, clock: clock).pending().count == 4)
    }

    /// The queue's failures are its own (`JobQueueError.storage`, naming the folder), not the
    /// bucket's: a folder that cannot be made, and one that disappeared under a running queue.
    @Test func storageFailuresAreTheQueuesOwn() async throws {
        let parent = try Fixtures.temporaryDirectory()
        let file = parent.appendingPathComponent("not-a-folder")
        try Data("x".utf8).write(to: file)
        #expect {
            try FileJobQueue(directory: file, clock: clock)
        } throws: { error in
            guard case .storage(let directory, _) = error as? JobQueueError else { return false }
            return directory == file.path
        }

        let directory = parent.appendingPathComponent("jobs")
        let queue = try FileJobQueue(directory: directory, clock: clock)
        try FileManager.default.removeItem(at: directory)
        try Data("x".utf8).write(to: directory)
        await #expect {
            try await queue.enqueue(job("photos/lost"))
        } throws: { error in
            guard case .storage(let folder, let failure) = error as? JobQueueError else { return false }
            return folder == directory.path && failure.contains(directory.path)
        }
    }

    func segments(in directory: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter {
            $0.hasSuffix(".segment")
        }
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
        // Nothing damaged: the sweep finds no unreadable bytes (a cut-short last record is not damage),
        // and afterwards the same jobs are there.
        #expect(try await queue.sweep().quarantined == 0)
        #expect(Set(try await queue.pending().map(\.key)) == pending)
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

extension JobClaim {
    var isClaimed: Bool { if case .claimed = self { true } else { false } }
    var isNoJob: Bool { if case .noJob = self { true } else { false } }
}
