import Foundation
import GalleryKit
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the rebuild scheduler's loop for as long as the service runs.
struct RebuildService: Service {
    let scheduler: RebuildScheduler
    let rebuildAtStart: Bool

    func run() async throws {
        if rebuildAtStart { await scheduler.requestStartUp() }
        await withGracefulShutdownHandler {
            await scheduler.run()
        } onGracefulShutdown: {
            scheduler.finish()
        }
    }
}

/// Object-created signals (the local bucket's, S3 event notifications), delivered like S3 delivers
/// notifications: queued, then processed off the request path, up to `concurrency` at once (the
/// publisher's image workers bound the image work itself to one per core). An object that is not
/// there yet is tried again a few times, a second, two, four later.
struct UploadSignals: Service {
    let publisher: Publisher
    let logger: Logger
    /// When the last object-created signal arrived.
    let arrivals: SignalArrivals
    private let keys: AsyncStream<(key: String, attempt: Int)>
    private let continuation: AsyncStream<(key: String, attempt: Int)>.Continuation
    static let retries = 3
    /// Keys in process at once, waits before a retry included.
    static let concurrency = 64

    /// How long before retry `attempt` (1, 2, 3) of a key that was not there.
    private let retryDelay: @Sendable (Int) -> Duration
    /// Keys in process now (waits before a retry included), and the most there have been at once.
    let load = SignalLoad()

    init(
        publisher: Publisher, logger: Logger, clock: any WallClock,
        retryDelay: @escaping @Sendable (Int) -> Duration = { .seconds(1 << ($0 - 1)) }
    ) {
        self.publisher = publisher
        self.arrivals = SignalArrivals(clock: clock)
        self.logger = logger
        self.retryDelay = retryDelay
        (keys, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(Self.buffered))
    }

    /// Signals waiting for a slot; beyond this the oldest are dropped (the poller still finds their jobs).
    static let buffered = 10_000

    /// Announces that `key` was created.
    func objectCreated(_ key: String) {
        arrivals.arrived()
        continuation.yield((key, 0))
    }

    func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                for await (key, attempt) in keys {
                    if running >= Self.concurrency {
                        await group.next()
                        running -= 1
                    }
                    running += 1
                    let (publisher, continuation, logger, load) = (publisher, continuation, logger, load)
                    let delay = attempt < Self.retries ? retryDelay(attempt + 1) : nil
                    load.started()
                    group.addTask {
                        defer { load.finished() }
                        do {
                            guard try await publisher.process(key: key) == .missing, let delay else { return }
                            try? await Task.sleep(for: delay)
                            continuation.yield((key, attempt + 1))
                        } catch {
                            // The job stays queued; the redirect, the poller or a later signal processes it again.
                            logger.error(
                                "processing an upload failed", metadata: ["key": "\(key)", "error": "\(error)"])
                        }
                    }
                }
                group.cancelAll()
            }
        } onGracefulShutdown: {
            continuation.finish()
        }
    }
}

/// Sweeps expired jobs from the queue now and then.
struct SweepService: Service {
    let queue: any JobQueue
    let interval: Duration
    let logger: Logger

    func run() async throws {
        // Shutting down cancels the sleep; that is the normal way out, not a failure.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let report = try await queue.sweep()
                    if report != SweepReport() {
                        logger.info(
                            "swept the job queue",
                            metadata: [
                                "expired": "\(report.expired)", "quarantined": "\(report.quarantined)",
                                "temporaryFiles": "\(report.temporaryFiles)",
                            ])
                    }
                } catch {
                    logger.error("sweeping the job queue failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

/// Checks pending jobs now and then and processes those whose upload has landed, so titles arrive
/// even with no notifications configured and a visitor who closed the tab before the redirect.
struct PendingUploadPoller: Service {
    let queue: any JobQueue
    let publisher: Publisher
    let interval: Duration
    let clock: any WallClock
    let logger: Logger
    /// While signals arrive, the poller is a safety net (a look per job every five minutes at most).
    let arrivals: SignalArrivals
    let metrics: GalleryMetrics

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var schedule = PollSchedule(interval: interval.seconds)
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    let now = clock.now()
                    let due = schedule.due(
                        try await queue.pending(), at: now, notificationsArrive: arrivals.recently(at: now))
                    metrics.polled(looks: due.count, perHour: schedule.looksPerHour)
                    for job in due {
                        try Task.checkCancellation()
                        do {
                            try await publisher.process(key: job.key)
                        } catch is CancellationError {
                            throw CancellationError()
                        } catch {
                            logger.warning(
                                "polling an upload failed", metadata: ["key": "\(job.key)", "error": "\(error)"])
                        }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("reading the job queue failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// When object-created signals (S3 events through `/events`, the local bucket's uploads) last arrived.
final class SignalArrivals: Sendable {
    private let last = Mutex<Date?>(nil)
    private let clock: any WallClock
    /// How long after a signal notifications count as arriving.
    static let window: TimeInterval = 600

    init(clock: any WallClock) { self.clock = clock }

    func arrived() { last.withLock { $0 = clock.now() } }

    /// Whether a signal arrived within the window before `now`.
    func recently(at now: Date) -> Bool {
        last.withLock { $0.map { now.timeIntervalSince($0) < Self.window } ?? false }
    }
}
