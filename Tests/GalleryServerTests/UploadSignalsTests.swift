import Foundation
import GalleryKit
import Logging
import Synchronization
import TestSupport
import Testing

@testable import GalleryServer

struct UploadSignalsTests {
    /// Issue 12, item 5: every key that was not there yet got a retry task that was never collected
    /// (a task group that only grew). Now the tasks, waits before a retry included, are collected
    /// and at most `UploadSignals.concurrency` run at once: 200 signals for uploads that never land
    /// are each tried four times (once and three retries), never more than 64 in process, none left.
    @Test func retriesForMissingUploadsAreBoundedAndCollected() async throws {
        let observed = Mutex<ObservedStore?>(nil)
        let service = try await TestGallery {
            let store = ObservedStore($0)
            observed.withLock { $0 = store }
            return store
        }
        let store = try #require(observed.withLock { $0 })
        var keys: [String] = []
        for index in 0..<200 {
            keys.append(try await service.gallery.presigner.presign(title: try Title(normalizing: "P \(index)")).key)
        }
        let signals = UploadSignals(
            publisher: service.gallery.publisher, logger: Logger(label: "test"), clock: service.gallery.clock,
            retryDelay: { _ in .milliseconds(50) })
        let running = Task { try await signals.run() }
        for key in keys { signals.objectCreated(key) }
        // Every key is looked at once and retried three times; then nothing is left in process.
        let deadline = ContinuousClock.now + .seconds(60)
        func triesDone() -> Bool {
            keys.allSatisfy { store.heads[$0, default: 0] >= UploadSignals.retries + 1 }
        }
        while !(triesDone() && signals.load.inProcess == 0), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        let heads = store.heads
        let tries = keys.map { heads[$0, default: 0] }
        print(
            "200 signals for uploads that never land: tries per key \(Set(tries).sorted()), "
                + "at most \(signals.load.peak) in process, \(signals.load.inProcess) left")
        #expect(triesDone())
        #expect(signals.load.inProcess == 0)
        #expect(signals.load.peak <= UploadSignals.concurrency)
        #expect(signals.load.peak >= 2)
    }
}
