import Foundation
import GalleryKit
import Logging
import ServiceLifecycle
import Synchronization

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
