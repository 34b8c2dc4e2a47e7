import Foundation
import GalleryKit
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
        let scheduler = RebuildScheduler { _ in await gate.pass() }
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
        let scheduler = RebuildScheduler { _ in await gate.pass() }
        #expect(await scheduler.waitForRequested(timeout: .milliseconds(1)))  // nothing requested yet
        let runner = Task { await scheduler.run() }
        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .milliseconds(50)) == false)
        await gate.openUp()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        scheduler.finish()
        await runner.value
    }

    @Test func aFailedPassReleasesWaitersAndTheNextRequestRetries() async throws {
        struct Broken: Error {}
        let attempts = Counter()
        let scheduler = RebuildScheduler { _ in
            await attempts.increment()
            if await attempts.value == 1 { throw Broken() }
        }
        let runner = Task { await scheduler.run() }
        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        #expect(await scheduler.lastError is Broken)
        await scheduler.request()
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        #expect(await scheduler.lastError == nil)
        #expect(await attempts.value == 2)
        scheduler.finish()
        await runner.value
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
        let scheduler = RebuildScheduler { work in
            await log.append(work)
            await gate.pass()
        }
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
        let scheduler = RebuildScheduler { work in
            await log.append(work)
            if await log.passes.count == 1 { throw Broken() }
        }
        let runner = Task { await scheduler.run() }
        await scheduler.request(photo: Self.photo("photos/1"))
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        await scheduler.request(photo: Self.photo("photos/2"))
        #expect(await scheduler.waitForRequested(timeout: .seconds(10)))
        #expect(await log.passes.map(\.full) == [false, true])
        scheduler.finish()
        await runner.value
    }
}
