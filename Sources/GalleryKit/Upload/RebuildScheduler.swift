import Foundation
public import Logging

/// Coalesces rebuild requests: while a rebuild runs, any number of new requests cause at most one more.
///
/// `run()` is the worker loop (run it as a service); `request()` only marks the gallery stale.
public actor RebuildScheduler {
    private let rebuild: @Sendable (RebuildWork) async throws -> Void
    private let logger: Logger
    private let metrics: GalleryMetrics
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private var requested = 0
    private var completed = 0
    private var pending = RebuildWork()
    private var waiters: [(id: UUID, target: Int, continuation: CheckedContinuation<Void, Never>)] = []

    /// Rebuild passes run so far.
    public private(set) var passes = 0
    /// The error of the last pass, nil when it succeeded.
    public private(set) var lastError: (any Error)?

    /// Creates a scheduler that calls `rebuild` for each pass.
    public init(
        logger: Logger = Logger(label: "gallery.rebuild"), metrics: GalleryMetrics = .none,
        rebuild: @escaping @Sendable (RebuildWork) async throws -> Void
    ) {
        self.rebuild = rebuild
        self.logger = logger
        self.metrics = metrics
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// Asks for a full rebuild; a pass that starts after this call includes everything before it.
    public func request() {
        pending.full = true
        requested += 1
        wake.yield()
    }

    /// Asks for an update that adds (or retitles) `photo`.
    public func request(photo: GalleryPhoto) {
        pending.photos.append(photo)
        requested += 1
        wake.yield()
    }

    /// Runs passes as requests arrive, until the task is cancelled.
    public func run() async {
        for await _ in wakeups {
            while completed < requested {
                let target = requested
                let work = pending
                pending = RebuildWork()
                let started = ContinuousClock.now
                do {
                    try await rebuild(work)
                    lastError = nil
                    metrics.rebuilt(full: work.full, failed: false, duration: ContinuousClock.now - started)
                } catch {
                    metrics.rebuilt(full: work.full, failed: true, duration: ContinuousClock.now - started)
                    lastError = error
                    // Whatever was asked for is still owed: the next pass does it all over again.
                    pending.full = true
                    logger.error("rebuild failed; the next request retries it", metadata: ["error": "\(error)"])
                }
                completed = target
                passes += 1
                let ready = waiters.filter { $0.target <= completed }
                waiters.removeAll { $0.target <= completed }
                for waiter in ready { waiter.continuation.resume() }
            }
            if Task.isCancelled { break }
        }
    }

    /// Stops `run()` once its current pass ends.
    public nonisolated func finish() { wake.finish() }

    /// Waits until every request made so far has been built, or `timeout` passes; true when built.
    public func waitForRequested(timeout: Duration) async -> Bool {
        let target = requested
        if completed >= target { return true }
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { await self.wait(for: target) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    private func wait(for target: Int) async -> Bool {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if completed >= target || Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters.append((id, target, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        return completed >= target
    }

    private func cancelWaiter(_ id: UUID) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume()
    }
}
