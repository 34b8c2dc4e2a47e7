import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Waits for another process to let go of a claim, without polling and without blocking Swift's
/// cooperative threads: one thread of its own per claim file blocks in `flock(LOCK_EX)` (the
/// kernel wakes it when the holder lets go, or dies), lets go at once and wakes every task waiting
/// for that file. A task stops waiting when its patience runs out or it is cancelled; the thread
/// stays until the holder lets go. At most `limit` files are waited for at once: past that, a task
/// does not wait. Claiming is the caller's, afterwards (another process may be first again).
final class ClaimWaiter: Sendable {
    /// The most claim files (and so threads) waited for at once.
    let limit: Int
    private let waits = Mutex<[String: Wait]>([:])
    /// Threads started so far (each blocked in one file's lock): for tests.
    private let started = Atomic<Int>(0)

    init(limit: Int = 16) { self.limit = limit }

    /// Threads started so far.
    var threadsStarted: Int { started.load(ordering: .relaxed) }

    /// Returns true once nobody holds the lock on the claim file at `path`, false when `patience`
    /// ran out first, the task was cancelled, the file could not be locked, or too many files are
    /// waited for already.
    func waitForRelease(of path: String, within patience: Duration) async -> Bool {
        guard patience > .zero, !Task.isCancelled else { return false }
        let (wait, isNew) = waits.withLock { waits -> (Wait?, Bool) in
            if let wait = waits[path] { return (wait, false) }
            guard waits.count < limit else { return (nil, false) }
            let wait = Wait()
            waits[path] = wait
            return (wait, true)
        }
        guard let wait else { return false }
        if isNew { startThread(for: path, wait) }
        let id = UUID()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                wait.join(id, continuation)
                // Cancelled before it joined: the handler found nothing to resume.
                if Task.isCancelled { wait.leave(id) }
                let timer = Task {
                    try? await Task.sleep(for: patience)
                    wait.leave(id)
                }
                wait.setTimer(timer, for: id)
            }
        } onCancel: {
            wait.leave(id)
        }
    }

    /// The thread that waits for the lock on `path`, then wakes everyone waiting for it.
    private func startThread(for path: String, _ wait: Wait) {
        started.wrappingAdd(1, ordering: .relaxed)
        let thread = Thread { [self] in
            var released = false
            let descriptor = open(path, O_RDONLY | O_CLOEXEC)
            let openError = descriptor < 0 ? errno : 0
            if descriptor >= 0 {
                var result: Int32
                repeat { result = flock(descriptor, LOCK_EX) } while result != 0 && errno == EINTR
                if result == 0 {
                    released = true
                    flock(descriptor, LOCK_UN)
                }
                close(descriptor)
            }
            // A claim file removed meanwhile is a job finished and forgotten: nobody holds it either.
            if openError == ENOENT { released = true }
            _ = waits.withLock { $0.removeValue(forKey: path) }
            wait.end(released)
        }
        thread.name = "gallery.claim-wait"
        thread.start()
    }

    /// The tasks waiting for one claim file; each is resumed exactly once.
    private final class Wait: Sendable {
        private struct Waiter {
            let continuation: CheckedContinuation<Bool, Never>
            var timer: Task<Void, Never>?
        }
        private let state = Mutex<(waiters: [UUID: Waiter], result: Bool?)>(([:], nil))

        /// Adds a waiting task (resumed at once when the wait ended already).
        func join(_ id: UUID, _ continuation: CheckedContinuation<Bool, Never>) {
            let ended = state.withLock { state -> Bool? in
                if let result = state.result { return result }
                state.waiters[id] = Waiter(continuation: continuation, timer: nil)
                return nil
            }
            if let ended { continuation.resume(returning: ended) }
        }

        /// Keeps the task's timer, to stop it when the task is resumed first.
        func setTimer(_ timer: Task<Void, Never>, for id: UUID) {
            let waiting = state.withLock { state -> Bool in
                guard state.waiters[id] != nil else { return false }
                state.waiters[id]?.timer = timer
                return true
            }
            if !waiting { timer.cancel() }
        }

        /// The task stops waiting (patience ran out, or it was cancelled): resumed with false.
        func leave(_ id: UUID) {
            let waiter = state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.timer?.cancel()
            waiter?.continuation.resume(returning: false)
        }

        /// The lock was had (`released`) or could not be: every waiting task is resumed with that.
        func end(_ released: Bool) {
            let waiters = state.withLock { state in
                state.result = released
                defer { state.waiters = [:] }
                return Array(state.waiters.values)
            }
            for waiter in waiters {
                waiter.timer?.cancel()
                waiter.continuation.resume(returning: released)
            }
        }
    }
}
