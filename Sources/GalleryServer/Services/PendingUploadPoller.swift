import Foundation
import GalleryKit
import Logging
import ServiceLifecycle
import Synchronization

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
