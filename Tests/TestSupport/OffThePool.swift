import Foundation

/// Runs blocking work (a subprocess, a libvips call) on a thread of its own: Swift's concurrency pool
/// has one thread per core here, and a test that blocks one starves every other test's tasks.
public func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try body() }) }
        thread.start()
    }
}
