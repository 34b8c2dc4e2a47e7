import Foundation
import TestSupport
import Testing

@testable import GalleryKit

#if canImport(Glibc)
    import Glibc
#endif

/// `ClaimWaiter`: one thread per claim file however many wait, patience and cancellation end a
/// wait without ending the thread, and past its limit nobody waits.
struct ClaimWaiterTests {
    /// A claim file locked as another process would (its own open file).
    final class HeldFile: Sendable {
        let path: String
        private let descriptor: Int32

        init(in directory: URL, _ name: String) throws {
            path = directory.appendingPathComponent(name).path
            descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
            guard descriptor >= 0, flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
                throw CocoaError(.fileWriteUnknown)
            }
        }

        func letGo() {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    @Test func everyWaiterForOneFileSharesOneThread() async throws {
        let held = try HeldFile(in: try Fixtures.temporaryDirectory(), "a.claim")
        let waiter = ClaimWaiter()
        let waits = (0..<5).map { _ in Task { await waiter.waitForRelease(of: held.path, within: .seconds(30)) } }
        try await Task.sleep(for: .milliseconds(300))
        #expect(waiter.threadsStarted == 1)
        held.letGo()
        for wait in waits { #expect(await wait.value) }
        #expect(waiter.threadsStarted == 1)
    }

    @Test func patienceAndCancellationEndAWaitButNotTheThread() async throws {
        let held = try HeldFile(in: try Fixtures.temporaryDirectory(), "a.claim")
        let waiter = ClaimWaiter()
        #expect(await waiter.waitForRelease(of: held.path, within: .milliseconds(100)) == false)
        let cancelled = Task { await waiter.waitForRelease(of: held.path, within: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(100))
        cancelled.cancel()
        let start = ContinuousClock.now
        #expect(await cancelled.value == false)
        #expect(ContinuousClock.now - start < .seconds(30), "a cancelled wait ends then, not after its patience")
        // The thread still waits: a new waiter joins it, and both end when the holder lets go.
        let late = Task { await waiter.waitForRelease(of: held.path, within: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(100))
        held.letGo()
        #expect(await late.value)
        #expect(waiter.threadsStarted == 1)
    }

    @Test func pastItsLimitNobodyWaits() async throws {
        let directory = try Fixtures.temporaryDirectory()
        let first = try HeldFile(in: directory, "a.claim")
        let second = try HeldFile(in: directory, "b.claim")
        let waiter = ClaimWaiter(limit: 1)
        let waiting = Task { await waiter.waitForRelease(of: first.path, within: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(200))
        let start = ContinuousClock.now
        #expect(await waiter.waitForRelease(of: second.path, within: .seconds(30)) == false)
        #expect(ContinuousClock.now - start < .seconds(15), "refused at once, not after its patience")
        first.letGo()
        #expect(await waiting.value)
        second.letGo()
        #expect(await waiter.waitForRelease(of: second.path, within: .seconds(30)))
        #expect(waiter.threadsStarted == 2)
    }
}
