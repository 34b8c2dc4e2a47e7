import Synchronization

/// How many object-created signals `UploadSignals` has in process (waits before a retry included),
/// and the most it has had at once: what `/metrics`-style checks and the tests read.
final class SignalLoad: Sendable {
    private let counts = Mutex((now: 0, peak: 0))

    func started() {
        counts.withLock {
            $0.now += 1
            $0.peak = max($0.peak, $0.now)
        }
    }

    func finished() { counts.withLock { $0.now -= 1 } }

    /// Signals in process now.
    var inProcess: Int { counts.withLock { $0.now } }
    /// The most signals in process at once so far.
    var peak: Int { counts.withLock { $0.peak } }
}
