import Foundation
import GalleryKit
import Synchronization
import TestSupport
import Testing

/// A gate a rebuild waits at until the test opens it.
actor Gate {
    private var open = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private(set) var arrivals = 0

    func pass() async {
        arrivals += 1
        if open { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func openUp() {
        open = true
        waiting.forEach { $0.resume() }
        waiting = []
    }

    func waitForArrivals(_ count: Int) async {
        while arrivals < count { await Task.yield() }
    }
}

struct RebuildSchedulerTests {
    @Test func requestsDuringAPassCauseAtMostOneMorePass() async throws {
        let gate = Gate()
        let scheduler = RebuildScheduler(builder: PageBuilderProbe { _ in await gate.pass() })
        let runner = Task { await scheduler.run() }
        await scheduler.request()
        await gate.waitForArrivals(1)  // the first pass is running and held
        for _ in 0..<100 { await scheduler.request() }
        await gate.openUp()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        #expect(await scheduler.passes == 2)
        #expect(await gate.arrivals == 2)

        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        #expect(await scheduler.passes == 3)
        scheduler.finish()
        await runner.value
    }

    @Test func waitingTimesOutWhileAPassIsStuckAndSucceedsWhenNothingIsPending() async throws {
        let gate = Gate()
        let scheduler = RebuildScheduler(builder: PageBuilderProbe { _ in await gate.pass() })
        #expect(await scheduler.waitForRequested(timeout: .milliseconds(1)))  // nothing requested yet
        let runner = Task { await scheduler.run() }
        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .milliseconds(50)) == false)
        await gate.openUp()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        scheduler.finish()
        await runner.value
    }

    /// Issue 12, item 6: a failed rebuild was not tried again (until another upload came), and waiting
    /// for it said the gallery was built. Now it is tried again by itself, with backoff, and waiting
    /// says "built" only once a pass succeeded.
    @Test func aFailedRebuildIsTriedAgainByItselfAndOnlySuccessCountsAsBuilt() async throws {
        struct Broken: Error {}
        let attempts = Counter()
        let delays = Mutex<[Int]>([])
        let scheduler = RebuildScheduler(
            builder: PageBuilderProbe { _ in
                await attempts.increment()
                if await attempts.value <= 3 { throw Broken() }
            },
            retryDelay: { failures in
                delays.withLock { $0.append(failures) }
                return .milliseconds(20)
            })
        let runner = Task { await scheduler.run() }
        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .seconds(60)))
        #expect(await attempts.value == 4, "three failures, then the retry that worked")
        #expect(delays.withLock { $0 } == [1, 2, 3])
        #expect(await scheduler.lastError == nil)
        #expect(await scheduler.failingSince == nil)
        scheduler.finish()
        await runner.value
    }

    @Test func whileRebuildsFailWaitingSaysNotBuiltAndTheFailureIsKnown() async throws {
        struct Broken: Error {}
        let scheduler = RebuildScheduler(
            builder: PageBuilderProbe { _ in throw Broken() }, retryDelay: { _ in .milliseconds(20) })
        let runner = Task { await scheduler.run() }
        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .milliseconds(300)) == false)
        #expect(await scheduler.lastError is Broken)
        #expect(await scheduler.failingSince != nil)
        // Tried again by itself (bounded wait: other tests may hold the concurrency pool a while).
        for _ in 0..<3000 where await scheduler.passes <= 2 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await scheduler.passes > 2, "tried again by itself")
        scheduler.finish()
        await runner.value
    }

    @Test func theBackoffDoublesUpToAMinute() {
        #expect((1...8).map { RebuildScheduler.backoff($0) } == [1, 2, 4, 8, 16, 32, 60, 60].map { .seconds($0) })
    }
}

/// Collects the work each pass was given.
actor WorkLog {
    private(set) var passes: [RebuildWork] = []
    func append(_ work: RebuildWork) { passes.append(work) }
}

struct RebuildWorkTests {
    static func photo(_ key: String) -> GalleryPhoto {
        .sample(key: key, title: .untitled, uploadedAt: Date())
    }

    @Test func photosRequestedDuringAPassArriveTogetherInTheNext() async throws {
        let gate = Gate()
        let log = WorkLog()
        let scheduler = RebuildScheduler(
            builder: PageBuilderProbe { work in
                await log.append(work)
                await gate.pass()
            })
        let runner = Task { await scheduler.run() }
        await scheduler.request(photo: Self.photo("photos/1"))
        await gate.waitForArrivals(1)
        for index in 2...5 { await scheduler.request(photo: Self.photo("photos/\(index)")) }
        await gate.openUp()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        let passes = await log.passes
        #expect(passes.map(\.full) == [false, false])
        #expect(
            passes.map { $0.photos.map(\.key) } == [["photos/1"], ["photos/2", "photos/3", "photos/4", "photos/5"]])
        scheduler.finish()
        await runner.value
    }

    @Test func afterAFailedPassTheNextIsAFullRebuild() async throws {
        struct Broken: Error {}
        let log = WorkLog()
        let scheduler = RebuildScheduler(
            builder: PageBuilderProbe { work in
                await log.append(work)
                if await log.passes.count == 1 { throw Broken() }
            }, retryDelay: { _ in .milliseconds(10) })
        let runner = Task { await scheduler.run() }
        await scheduler.request(photo: Self.photo("photos/1"))
        // The retry after the failed pass is a full rebuild.
        #expect(await scheduler.waitForRequested(timeout: .seconds(60)))
        #expect(await log.passes.map(\.full) == [false, true])
        scheduler.finish()
        await runner.value
    }
}
