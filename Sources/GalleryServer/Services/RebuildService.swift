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
