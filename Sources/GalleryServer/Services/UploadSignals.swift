import Foundation
import GalleryKit
import Logging
import ServiceLifecycle
import Synchronization

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
