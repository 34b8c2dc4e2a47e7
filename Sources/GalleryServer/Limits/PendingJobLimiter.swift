import Foundation
import GalleryKit
import HTTPTypes
import Synchronization

/// The per-client cap on pending jobs: one IPv4 address or IPv6 /64 may hold at most `limit`
/// presigned uploads that have not landed, so a flood from a few addresses fills its own share and
/// never the queue everyone else needs (answered 429 with Retry-After).
///
/// Counted in this process; jobs published or swept are noticed (by asking the queue) when a client
/// reaches its limit, so an uploader who finishes what they start is never held back.
final class PendingJobLimiter: Sendable {
    private let state: Mutex<PendingJobsPerClient>
    private let queue: any JobQueue
    private let clock: any WallClock
    /// How long a job lives: its slot lapses with it.
    private let jobLifetime: TimeInterval
    /// Slots in all beyond which lapsed ones are pruned on the next presign.
    private let pruneAbove: Int

    init(limit: Int, queue: any JobQueue, jobLifetime: TimeInterval, clock: any WallClock, pruneAbove: Int = 20_000) {
        state = Mutex(PendingJobsPerClient(limit: limit))
        self.queue = queue
        self.jobLifetime = jobLifetime
        self.clock = clock
        self.pruneAbove = pruneAbove
    }

    /// Runs `presign` (which returns the new job's key) in a slot of `address`'s group; throws 429
    /// when the group already holds its limit of pending jobs.
    func withSlot<Value>(
        for address: String, key: (Value) -> String, _ presign: () async throws -> Value
    ) async throws -> Value {
        let client = ClientGroup.of(address)
        let now = clock.now()
        let until = now.addingTimeInterval(jobLifetime)
        if !state.withLock({ $0.take(client, now: now, until: until) }) {
            // At the limit: give back the slots of jobs that are gone (their uploads landed), then retry.
            var gone: Set<String> = []
            for held in state.withLock({ $0.keys(of: client) }) where try await queue.job(for: held) == nil {
                gone.insert(held)
            }
            let (taken, wait) = state.withLock { state in
                state.release(client, keys: gone)
                return (state.take(client, now: now, until: until), state.wait(client, now: now))
            }
            guard taken else {
                throw ServiceError(
                    status: .tooManyRequests,
                    message:
                        "Your address has as many uploads waiting as it may. Finish one, or try again in \(wait) s.",
                    headers: [.retryAfter: String(wait)])
            }
        }
        do {
            let value = try await presign()
            state.withLock { state in
                state.name(client, key: key(value))
                if state.count > pruneAbove { state.prune(now: now) }
            }
            return value
        } catch {
            state.withLock { $0.giveBack(client) }
            throw error
        }
    }
}
