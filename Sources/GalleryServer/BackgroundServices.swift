import Foundation
import GalleryKit
import Logging
import ServiceLifecycle

/// Runs the rebuild scheduler's loop for as long as the service runs.
struct RebuildService: Service {
    let scheduler: RebuildScheduler
    let rebuildAtStart: Bool

    func run() async throws {
        if rebuildAtStart { await scheduler.request() }
        await withGracefulShutdownHandler {
            await scheduler.run()
        } onGracefulShutdown: {
            scheduler.finish()
        }
    }
}

/// The object-created signal of the local bucket, delivered like an S3 event notification:
/// queued, then processed one by one off the request path.
struct UploadSignals: Service {
    let processor: UploadProcessor
    let logger: Logger
    private let keys: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation

    init(processor: UploadProcessor, logger: Logger) {
        self.processor = processor
        self.logger = logger
        (keys, continuation) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Announces that `key` was created.
    func objectCreated(_ key: String) { continuation.yield(key) }

    func run() async throws {
        await withGracefulShutdownHandler {
            for await key in keys {
                do {
                    try await processor.process(key: key)
                } catch {
                    // The job stays queued; the redirect or a later signal processes it again.
                    logger.error("processing an upload failed", metadata: ["key": "\(key)", "error": "\(error)"])
                }
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
    let processor: UploadProcessor
    let interval: Duration
    let logger: Logger

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    for job in try await queue.pending() {
                        try Task.checkCancellation()
                        do {
                            try await processor.process(key: job.key)
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
