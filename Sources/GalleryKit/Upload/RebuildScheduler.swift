public import Foundation
public import Logging

/// Coalesces rebuild requests: while a rebuild runs, any number of new requests cause at most one more.
/// A failed pass is tried again by itself, with backoff, until one succeeds.
///
/// `run()` is the worker loop (run it as a service); `request()` only marks the gallery stale.
public actor RebuildScheduler: PageUpdates {
    /// What each pass runs: the `Generator`.
    private let builder: any PageBuilder
    private let logger: Logger
    private let metrics: GalleryMetrics
    private let retryDelay: @Sendable (Int) -> Duration
    private let clock: any WallClock
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    /// Requests so far, numbered from 1.
    private var requested = 0
    /// Every request up to this number has had a pass (whether it succeeded or not).
    private var attempted = 0
    /// Every request up to this number is shown: a pass that covered it succeeded.
    private var built = 0
    private var pending = RebuildWork()
    private var waiters: [(id: UUID, target: Int, continuation: CheckedContinuation<Void, Never>)] = []
    private var failures = 0
    private var retryScheduled = false

    /// Rebuild passes run so far.
    public private(set) var passes = 0
    /// The error of the last pass, nil when it succeeded.
    public private(set) var lastError: (any Error)?
    /// Since when passes have failed (the gallery is not being updated); nil while it is current.
    public private(set) var failingSince: Date?

    /// Creates a scheduler that has `builder` run each pass; after `n` failures in a row the next
    /// try comes `retryDelay(n)` later.
    public init(
        builder: any PageBuilder, logger: Logger = Logger(label: "gallery.rebuild"), metrics: GalleryMetrics = .none,
        retryDelay: @escaping @Sendable (Int) -> Duration = RebuildScheduler.backoff,
        clock: any WallClock = SystemClock()
    ) {
        self.clock = clock
        self.builder = builder
        self.logger = logger
        self.metrics = metrics
        self.retryDelay = retryDelay
        (wakeups, wake) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(1))
    }

    /// 1, 2, 4, … seconds after the first, second, third failure, at most a minute.
    public static func backoff(_ failures: Int) -> Duration { .seconds(min(60, 1 << min(max(failures - 1, 0), 6))) }

    /// Asks for a full rebuild; a pass that starts after this call includes everything before it.
    public func request() {
        pending.full = true
        requested += 1
        wake.yield()
    }

    /// Asks for the start-up check: trust a current manifest, else rebuild in full.
    public func requestStartUp() {
        pending.startUp = true
        requested += 1
        wake.yield()
    }

    /// Asks for an update that adds (or retitles) `photo`.
    public func request(photo: GalleryPhoto) {
        pending.photos.append(photo)
        requested += 1
        wake.yield()
    }

    public func shows(key: String) async -> Bool { await builder.shows(key: key) }

    public func show(_ photo: GalleryPhoto) { request(photo: photo) }

    /// Runs passes as requests arrive, until the task is cancelled.
    public func run() async {
        for await _ in wakeups {
            while attempted < requested {
                let target = requested
                let work = pending
                pending = RebuildWork()
                let started = ContinuousClock.now
                do {
                    try await builder.run(work)
                    metrics.rebuilt(work, failed: false, duration: ContinuousClock.now - started)
                    succeeded(through: target)
                } catch {
                    metrics.rebuilt(work, failed: true, duration: ContinuousClock.now - started)
                    // Whatever was asked for is still owed: the next pass does it all over again.
                    pending.full = true
                    failed(error)
                }
                attempted = target
                passes += 1
            }
            if Task.isCancelled { break }
        }
    }

    private func succeeded(through target: Int) {
        built = target
        lastError = nil
        failingSince = nil
        failures = 0
        metrics.rebuildFailing(false)
        let ready = waiters.filter { $0.target <= built }
        waiters.removeAll { $0.target <= built }
        for waiter in ready { waiter.continuation.resume() }
    }

    private func failed(_ error: any Error) {
        lastError = error
        failures += 1
        if failingSince == nil { failingSince = clock.now() }
        metrics.rebuildFailing(true)
        let delay = retryDelay(failures)
        logger.error(
            "rebuild failed; trying again",
            metadata: ["error": "\(error)", "in": "\(delay)", "failures": "\(failures)"])
        guard !retryScheduled else { return }
        retryScheduled = true
        Task {
            try? await Task.sleep(for: delay)
            self.retry()
        }
    }

    private func retry() {
        retryScheduled = false
        guard lastError != nil else { return }  // a pass asked for meanwhile has succeeded
        requested += 1
        wake.yield()
    }

    /// Stops `run()` once its current pass ends.
    public nonisolated func finish() { wake.finish() }

    /// Waits until every request made so far is shown (a pass covering it succeeded), or `timeout`
    /// passes; true when shown. While rebuilds fail it waits for the retry that succeeds.
    public func waitForRequested(timeout: Duration) async -> Bool {
        let target = requested
        if built >= target { return true }
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
                if built >= target || Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters.append((id, target, continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
        return built >= target
    }

    private func cancelWaiter(_ id: UUID) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume()
    }
}
