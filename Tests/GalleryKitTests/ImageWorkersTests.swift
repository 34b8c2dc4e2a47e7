import Foundation
import GalleryKit
import Synchronization
import Testing

struct ImageWorkersTests {
    /// Tracks how many bodies run at once.
    final class Occupancy: Sendable {
        private let state = Mutex((now: 0, most: 0))
        func enter() {
            state.withLock {
                $0.now += 1; $0.most = max($0.most, $0.now)
            }
        }
        func leave() { state.withLock { $0.now -= 1 } }
        var most: Int { state.withLock { $0.most } }
    }

    @Test func runsAtMostItsLimitAtOnceAndEveryBodyInTheEnd() async throws {
        let workers = ImageWorkers(limit: 2)
        let occupancy = Occupancy()
        let results = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<12 {
                group.addTask {
                    try await workers.run {
                        occupancy.enter()
                        defer { occupancy.leave() }
                        // Blocking work, as libvips is, on a thread of its own.
                        return try await ImageWorkers.blocking {
                            Thread.sleep(forTimeInterval: 0.02)
                            return index
                        }
                    }
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.sorted() == Array(0..<12))
        #expect(occupancy.most == 2)
    }

    @Test func aFailingBodyGivesItsSlotBack() async throws {
        struct Failure: Error {}
        let workers = ImageWorkers(limit: 1)
        await #expect(throws: Failure.self) { try await workers.run { () async throws -> Int in throw Failure() } }
        #expect(try await workers.run { 7 } == 7)
    }
}
