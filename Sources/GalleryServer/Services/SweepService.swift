import Foundation
import GalleryKit
import Logging
import ServiceLifecycle
import Synchronization

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
