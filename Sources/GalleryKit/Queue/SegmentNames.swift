import Foundation
import SigV4
import Synchronization

/// Names new log segments from the injected clock: `<milliseconds>-<random>.segment`, in hex.
///
/// Replay reads segments in name order, so one queue's names must sort in the order it made them
/// even when its clock stands still or steps back (a test clock, an NTP correction): each name's
/// time is at least one millisecond past the last one this queue (this `FileJobQueue`) made. The
/// random part keeps queues that share the folder apart.
final class SegmentNames: Sendable {
    private let clock: any WallClock
    /// The time, in milliseconds, of the last name made.
    private let last = Mutex<UInt64>(0)

    init(clock: any WallClock) { self.clock = clock }

    /// A fresh, unique segment name, later in order than every name this process made before.
    func next() -> String {
        let now = UInt64(max(0, clock.now().timeIntervalSince1970 * 1000))
        let milliseconds = last.withLock { last in
            last = max(now, last + 1)
            return last
        }
        return Hex.padded(milliseconds, width: 12) + "-" + Hex.padded(UInt64.random(in: 0...UInt64.max), width: 1)
            + SegmentFile.suffix
    }
}
