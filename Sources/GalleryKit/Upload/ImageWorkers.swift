public import Foundation

/// Where image work runs: at most `limit` images at a time (one per core by default), each on a
/// thread of its own, off Swift's concurrency pool and the HTTP event loops.
///
/// A burst of uploads waits here in order, each holding nothing until its turn: the caller reads an
/// upload inside `run`, so memory stays bounded by `limit` images however many arrive.
public actor ImageWorkers {
    /// Images processed at once.
    public let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// Workers for `limit` images at a time.
    public init(limit: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once a slot is free, holding the slot until it returns.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if running < limit {
            running += 1
        } else {
            await withCheckedContinuation { waiting.append($0) }
        }
        defer {
            // The slot passes straight to the next in line, if any.
            if waiting.isEmpty { running -= 1 } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }

    /// Runs blocking, CPU-bound `work` on a thread outside the concurrency pool.
    public nonisolated static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try work() })
            }
        }
    }
}
