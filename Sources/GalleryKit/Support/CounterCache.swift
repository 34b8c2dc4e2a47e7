import CoreMetrics
import Synchronization

/// Counters made once per set of dimensions: every store call and presign counts, and making a
/// counter means a lookup in the factory's registry.
final class CounterCache: Sendable {
    private let counters = Mutex<[String: Counter]>([:])

    func counter(_ name: String, make: () -> Counter) -> Counter {
        if let counter = counters.withLock({ $0[name] }) { return counter }
        let counter = make()
        counters.withLock { $0[name] = counter }
        return counter
    }
}
