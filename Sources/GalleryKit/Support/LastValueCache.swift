import Synchronization

/// Remembers one value made from a key, for as long as the key stays the same: for what is built
/// once per form URL on the presign path (every form of a gallery posts to the same URL).
public final class LastValueCache<Key: Equatable & Sendable, Value: Sendable>: Sendable {
    private let last = Mutex<(key: Key, value: Value)?>(nil)

    public init() {}

    /// The value for `key`, made with `make` when the key differs from the last one.
    public func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        if let last = last.withLock({ $0 }), last.key == key { return last.value }
        let value = try make()
        last.withLock { $0 = (key, value) }
        return value
    }
}
