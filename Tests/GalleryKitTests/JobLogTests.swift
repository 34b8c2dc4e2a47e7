import Foundation
import GalleryKit
import TestSupport
import Testing

struct JobLogTests {
    static let job = Job(
        key: "photos/abc", title: try! Title(normalizing: "Zürich / night"),
        createdAt: Date(timeIntervalSince1970: 1_764_078_307.123_456), expiresAt: Date(timeIntervalSince1970: 1_764_079_807))

    @Test func queuedRecordLayout() {
        let bytes = JobLog.encode(.queued(Self.job))
        let key = Array("photos/abc".utf8)
        let title = Array("Zürich / night".utf8)
        let payloadLength = 8 + 8 + 4 + key.count + title.count
        #expect(bytes.count == JobLog.headerSize + payloadLength)
        #expect(Array(bytes[0..<8]) == [0x47, 0x51, 1, 0, UInt8(payloadLength), 0, 0, 0])
        let payload = Array(bytes[16...])
        #expect(Array(payload[0..<8]) == littleEndian(Self.job.createdAt.timeIntervalSince1970.bitPattern))
        #expect(Array(payload[8..<16]) == littleEndian(Self.job.expiresAt.timeIntervalSince1970.bitPattern))
        #expect(Array(payload[16..<20]) == [UInt8(key.count), 0, 0, 0])
        #expect(Array(payload[20..<(20 + key.count)]) == key)
        #expect(Array(payload[(20 + key.count)...]) == title)
    }

    @Test func removedRecordLayout() {
        let bytes = JobLog.encode(.removed(key: "photos/abc", createdAt: Self.job.createdAt))
        #expect(Array(bytes[0..<8]) == [0x47, 0x51, 2, 0, 18, 0, 0, 0])
        #expect(Array(bytes[16..<24]) == littleEndian(Self.job.createdAt.timeIntervalSince1970.bitPattern))
        #expect(Array(bytes[24...]) == Array("photos/abc".utf8))
    }

    @Test func roundTripsExactly() {
        var bytes: [UInt8] = []
        let entries: [JobLogEntry] = [
            .queued(Self.job), .removed(key: "photos/abc", createdAt: Self.job.createdAt),
            .queued(Job(key: "photos/ü", title: .untitled, createdAt: Date(timeIntervalSince1970: 0.1), expiresAt: .distantFuture)),
        ]
        for entry in entries { JobLog.encode(entry, into: &bytes) }
        let contents = JobLog.decode(bytes + [UInt8](repeating: 0, count: 100))
        #expect(contents.entries == entries)  // sub-millisecond times included
        #expect(contents.end == bytes.count)
        #expect(contents.ending == .clean)
        #expect(!contents.isDamaged)
    }

    /// Every cut of the last record (a write interrupted part way) reads as the records before it,
    /// ending in a torn record, never as damage and never as a different record.
    @Test func aCutShortRecordIsTornNotDamage() {
        let first = JobLog.encode(.queued(Self.job))
        let second = JobLog.encode(.removed(key: "photos/abc", createdAt: Self.job.createdAt))
        for cut in 1..<second.count {
            let bytes = first + second.prefix(cut) + [UInt8](repeating: 0, count: 64)
            let contents = JobLog.decode(bytes, salvaging: true)
            #expect(contents.entries == [.queued(Self.job)], "cut at \(cut)")
            #expect(contents.end == first.count)
            #expect(contents.ending == .torn, "cut at \(cut)")
            #expect(!contents.isDamaged, "cut at \(cut)")
        }
    }

    /// A flipped bit anywhere in a record makes it unreadable; the reader stops there, and only a
    /// salvaging read (of a segment nobody writes) goes on to the records after it.
    @Test func damageStopsTheReaderAndIsSalvagedAround() {
        let records = [
            JobLog.encode(.queued(Self.job)), JobLog.encode(.removed(key: "photos/x", createdAt: Self.job.createdAt)),
            JobLog.encode(.queued(Job(key: "photos/after", title: .untitled, createdAt: .distantPast, expiresAt: .now))),
        ]
        let intact = records.flatMap { $0 }
        for position in records[0].count..<(records[0].count + records[1].count) {
            var bytes = intact
            bytes[position] ^= 0x10
            let live = JobLog.decode(bytes)
            #expect(live.entries.count == 1, "flip at \(position)")
            #expect(live.end == records[0].count)
            #expect(live.ending != .clean)
            let salvaged = JobLog.decode(bytes, salvaging: true)
            #expect(salvaged.entries.first == .queued(Self.job))
            #expect(salvaged.entries.last?.key == "photos/after", "flip at \(position)")
            #expect(salvaged.isDamaged, "flip at \(position)")
        }
    }

    @Test func refusesWhatIsNoRecord() {
        // An invalid title (control characters), an empty key, a length past the limit, a foreign kind.
        var bad = JobLog.encode(.queued(Self.job))
        bad[2] = 9
        #expect(JobLog.decode(bad).entries.isEmpty)
        var huge = JobLog.encode(.queued(Self.job))
        huge[7] = 1  // 16 MiB payload
        #expect(JobLog.decode(huge).entries.isEmpty)
        #expect(JobLog.decode(Array("not a log at all".utf8)).ending == .unreadable)
        for empty in [[UInt8](repeating: 0, count: 40), []] {
            let contents = JobLog.decode(empty)
            #expect(contents.entries.isEmpty && contents.end == 0 && contents.ending == .clean)
        }
    }

    private func littleEndian(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.littleEndian) { Array($0) } }
}

struct JobIndexTests {
    let created = Date(timeIntervalSince1970: 1_764_078_307)
    func job(_ key: String, at offset: TimeInterval = 0, _ title: String = "T") -> Job {
        Job(key: key, title: try! Title(normalizing: title), createdAt: created + offset, expiresAt: created + 600)
    }

    @Test func foldsEntriesInAnyOrderAnyNumberOfTimes() {
        let entries: [JobLogEntry] = [
            .queued(job("a")), .queued(job("b")), .removed(key: "a", createdAt: created),
            .queued(job("b", at: 1, "Newer")), .queued(job("c")),
        ]
        var forward = JobIndex()
        forward.apply(entries)
        var backward = JobIndex()
        backward.apply(entries.reversed() + entries)
        for index in [forward, backward] {
            #expect(index.job(for: "a") == nil)
            #expect(index.job(for: "b")?.title.text == "Newer")
            #expect(Set(index.jobs.map(\.key)) == ["b", "c"])
            #expect(index.count == 2)
            #expect(index.versions(of: "b") == [created, created + 1])
        }
    }

    @Test func compactionKeepsCurrentJobsAndRemovalsOfJobsStillBeingWritten() {
        let now = created + 100
        let expired = Job(key: "old", title: .untitled, createdAt: created - 1000, expiresAt: created)
        let sealed: [JobLogEntry] = [
            .queued(job("live")), .queued(job("live")),  // twice: counted once
            .queued(job("done")), .removed(key: "done", createdAt: created),  // finished: both go
            .queued(job("replaced")), .queued(expired),
            .removed(key: "elsewhere", createdAt: created),  // its job is in a segment still written: kept
            .removed(key: "gone", createdAt: created),  // its job is nowhere: dropped
        ]
        let open: [JobLogEntry] = [.queued(job("elsewhere")), .queued(job("replaced", at: 5, "New"))]
        let plan = JobLogCompaction.plan(sealed: sealed, open: open, now: now)
        #expect(plan.keep == [.queued(job("live")), .removed(key: "elsewhere", createdAt: created)])
        #expect(plan.expired == 1)
        // The state the compacted queue shows is the state before.
        var before = JobIndex()
        before.apply(sealed + open)
        var after = JobIndex()
        after.apply(plan.keep + open)
        #expect(Set(after.jobs) == Set(before.jobs.filter { !$0.isExpired(at: now) }))
    }
}

/// The fuzz seed `segment` was written by a separate Python implementation of the format
/// (`Tests/Fuzz/Corpus/queue`): the Swift reader must agree with it record for record.
struct JobLogInteroperabilityTests {
    @Test func readsASegmentWrittenFromTheFormatsDescription() throws {
        let data = try Data(
            contentsOf: Fixtures.repositoryRoot.appendingPathComponent("Tests/Fuzz/Corpus/queue/segment"))
        let contents = JobLog.decode(data)
        let key = "photos/0b8f6c1e-2d1a-4e0e-9f57-3f7f7c2b9a10"
        let created = Date(timeIntervalSince1970: 1_764_078_307.123)
        #expect(
            contents.entries == [
                .queued(
                    Job(
                        key: key, title: try Title(normalizing: "Zürich bei Nacht"), createdAt: created,
                        expiresAt: Date(timeIntervalSince1970: 1_764_079_807))),
                .queued(
                    Job(
                        key: "photos/b", title: try Title(normalizing: "東京 / 夜"), createdAt: created,
                        expiresAt: Date(timeIntervalSince1970: 1_764_079_807))),
                .removed(key: key, createdAt: created),
            ])
        #expect(contents.ending == .clean)
        #expect(contents.end == data.count - 64)
    }
}
