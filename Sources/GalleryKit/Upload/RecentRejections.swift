import Synchronization

/// Why recent uploads were refused, by key: the last `capacity` of them, oldest forgotten first.
final class RecentRejections: Sendable {
    private struct State {
        var reasons: [String: String] = [:]
        var order: [String] = []
    }
    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 1000) { self.capacity = capacity }

    func record(_ reason: String, for key: String) {
        state.withLock { state in
            if state.reasons.updateValue(reason, forKey: key) == nil { state.order.append(key) }
            if state.order.count > capacity { state.reasons[state.order.removeFirst()] = nil }
        }
    }

    func reason(for key: String) -> String? { state.withLock { $0.reasons[key] } }
}
