/// Runs work for the same key one at a time, in arrival order; different keys run in parallel.
actor KeyedSerializer {
    /// Keys in use, each with the callers waiting for it.
    private var busy: [String: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` once no other work for `key` is running.
    func run<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        await acquire(key)
        do {
            let result = try await body()
            release(key)
            return result
        } catch {
            release(key)
            throw error
        }
    }

    private func acquire(_ key: String) async {
        guard busy[key] != nil else {
            busy[key] = []
            return
        }
        await withCheckedContinuation { busy[key, default: []].append($0) }
    }

    /// Hands the key to the next waiter, or frees it.
    private func release(_ key: String) {
        guard var waiters = busy[key], !waiters.isEmpty else {
            busy[key] = nil
            return
        }
        let next = waiters.removeFirst()
        busy[key] = waiters
        next.resume()
    }
}
