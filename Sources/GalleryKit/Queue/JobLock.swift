import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on a job's claim file (`flock`), released explicitly, when dropped, or when its
/// process dies, so neither a crashed instance nor a forgotten claim leaves a job claimed.
public final class JobLock: Sendable {
    private let descriptor: Int32
    private let held = Atomic(true)

    init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release() }

    /// Unlocks and closes (once: later calls do nothing). Unlocked explicitly first: a process being
    /// spawned at that moment may hold a copy of the descriptor until it execs, and closing alone
    /// would leave the lock held for as long (a claim test saw its released job still held
    /// elsewhere, under a suite that spawns peers).
    public func release() {
        guard held.exchange(false, ordering: .acquiringAndReleasing) else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
