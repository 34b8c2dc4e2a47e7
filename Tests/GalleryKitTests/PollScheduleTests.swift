import Foundation
import GalleryKit
import Testing

struct PollScheduleTests {
    static let start = Date(timeIntervalSince1970: 1_764_000_000)

    static func job(_ key: String, createdAfter seconds: TimeInterval = 0) throws -> Job {
        Job(
            key: key, title: try Title(normalizing: key), createdAt: start.addingTimeInterval(seconds),
            expiresAt: start.addingTimeInterval(3600))
    }

    @Test func looksSoonThenBacksOffDoublingUpToTheCeiling() throws {
        var schedule = PollSchedule(interval: 5, ceiling: 40)
        let job = try Self.job("a")
        var looks: [TimeInterval] = []
        for second in stride(from: 0.0, through: 200, by: 1) where !schedule.due([job], at: Self.start + second).isEmpty
        {
            looks.append(second)
        }
        // First look one interval after creation, then 10, 20, 40, 40, … seconds apart.
        #expect(looks == [5, 15, 35, 75, 115, 155, 195])
    }

    @Test func newJobsAreDueOnTheirOwnClockAndFinishedOnesAreForgotten() throws {
        var schedule = PollSchedule(interval: 5)
        let old = try Self.job("old")
        let new = try Self.job("new", createdAfter: 4)
        #expect(schedule.due([old, new], at: Self.start + 5).map(\.key) == ["old"])
        #expect(schedule.due([old, new], at: Self.start + 9).map(\.key) == ["new"])
        // "old" left the queue and came back (say, re-imported): it starts over from its creation time.
        #expect(schedule.due([new], at: Self.start + 10).isEmpty)
        #expect(schedule.due([old, new], at: Self.start + 11).map(\.key) == ["old"])
    }

    @Test func manyPendingJobsCostFewerLooksOverTime() throws {
        var schedule = PollSchedule(interval: 5, ceiling: 300)
        let jobs = try (0..<1000).map { try Self.job("k\($0)") }
        var looks = 0
        for tick in stride(from: 5.0, through: 3600, by: 5) { looks += schedule.due(jobs, at: Self.start + tick).count }
        // Every 5 s for an hour would be 720,000 HEADs; backing off to 5 minutes leaves about 1,000 × 17.
        print("poll schedule: 1,000 jobs never uploaded, one hour: \(looks) looks instead of 720000")
        #expect(looks <= 1000 * 17)
        #expect(looks >= 1000 * 10)
    }

    /// Issue 12, item 14: the poller looked at every pending job on its back-off schedule whether or not
    /// notifications arrived (a full queue: about 160,000 HEADs an hour). While they arrive it is a
    /// safety net: a job's first look and every later one at least five minutes apart.
    @Test func whileNotificationsArriveEachJobIsLookedAtEveryFiveMinutesAtMost() throws {
        var schedule = PollSchedule(interval: 5, ceiling: 300, safetyNet: 300)
        let jobs = try (0..<100).map { try Self.job("j\($0)") }
        var looks: [TimeInterval] = []
        for second in stride(from: 0.0, through: 3600, by: 5) {
            if !schedule.due(jobs, at: Self.start + second, notificationsArrive: true).isEmpty { looks.append(second) }
        }
        #expect(looks == stride(from: 300.0, through: 3600, by: 300).map { $0 })
        #expect(schedule.looksPerHour == 100 * 12)
        // Without notifications the same hour has the back-off's early looks too.
        var polling = PollSchedule(interval: 5, ceiling: 300, safetyNet: 300)
        var early = 0
        for second in stride(from: 0.0, through: 300, by: 5) {
            early += polling.due(jobs, at: Self.start + second).count
        }
        #expect(early == 100 * 5)  // at 5, 15, 35, 75 and 155 s
    }
}
