import Foundation

/// Keeps the number of stored jobs under a limit without listing the queue on every presign: the
/// count is read from the queue at most once a second and counted up in between.
actor QueueCapacity {
    private let queue: any JobQueue
    private let limit: Int
    private let clock: any WallClock
    private var known = 0
    private var countedAt: Date?

    init(queue: any JobQueue, limit: Int, clock: any WallClock) {
        self.queue = queue
        self.limit = max(1, limit)
        self.clock = clock
    }

    /// Reserves room for one more job, or throws `JobQueueError.full`.
    func reserve() async throws {
        let now = clock.now()
        if countedAt.map({ now.timeIntervalSince($0) >= 1 || now < $0 }) ?? true {
            known = try await queue.count()
            countedAt = now
        }
        guard known < limit else { throw JobQueueError.full(limit: limit, retryAfter: 30) }
        known += 1
    }
}
