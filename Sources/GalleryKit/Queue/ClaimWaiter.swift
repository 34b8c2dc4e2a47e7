import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for a claim another process holds, without polling and without blocking Swift's
/// cooperative threads: a thread of its own blocks in `flock(LOCK_EX)` (the kernel wakes it when
/// the holder lets go, or dies), and the waiting task resumes when that returns or when its
/// patience runs out, whichever comes first. A thread whose waiter gave up keeps the descriptor and
/// lets go of the lock as soon as it gets it. At most `limit` threads wait at once; past that a
/// claim does not wait.
final class ClaimWaiter: Sendable {
    /// The most threads blocked at once.
    let limit: Int
    private let waiting = Atomic<Int>(0)

    init(limit: Int = 16) { self.limit = limit }

    /// Locks `descriptor` (whose non-blocking lock just failed), taking ownership of it: returns
    /// it locked, or nil when `patience` ran out first, the lock failed or too many wait already
    /// (the descriptor is then closed, now or by the thread once the lock is had).
    func lock(_ descriptor: Int32, within patience: Duration) async -> Int32? {
        guard waiting.wrappingAdd(1, ordering: .relaxed).newValue <= limit else {
            waiting.wrappingSubtract(1, ordering: .relaxed)
            close(descriptor)
            return nil
        }
        let race = Race()
        return await withCheckedContinuation { continuation in
            race.begin(continuation)
            let thread = Thread { [self] in
                var result: Int32
                repeat { result = flock(descriptor, LOCK_EX) } while result != 0 && errno == EINTR
                let locked = result == 0
                if !race.finish(locked ? descriptor : nil) || !locked {
                    if locked { flock(descriptor, LOCK_UN) }
                    close(descriptor)
                }
                waiting.wrappingSubtract(1, ordering: .relaxed)
            }
            thread.name = "gallery.claim-wait"
            thread.start()
            race.timer = Task {
                try? await Task.sleep(for: patience)
                race.finish(nil)
            }
        }
    }

    /// One wait: whichever of the lock and the timer finishes first resumes the waiter, once.
    private final class Race: Sendable {
        private let state = Mutex<(continuation: CheckedContinuation<Int32?, Never>?, timer: Task<Void, Never>?)>(
            (nil, nil))

        func begin(_ continuation: CheckedContinuation<Int32?, Never>) {
            state.withLock { $0.continuation = continuation }
        }

        var timer: Task<Void, Never>? {
            get { state.withLock { $0.timer } }
            set {
                let finished = state.withLock { state in
                    state.timer = newValue
                    return state.continuation == nil
                }
                if finished { newValue?.cancel() }
            }
        }

        /// Resumes the waiter with `result` unless it was resumed already; returns whether this call did.
        @discardableResult
        func finish(_ result: Int32?) -> Bool {
            let (continuation, timer) = state.withLock { state in
                defer { state.continuation = nil }
                return (state.continuation, state.timer)
            }
            guard let continuation else { return false }
            timer?.cancel()
            continuation.resume(returning: result)
            return true
        }
    }
}
