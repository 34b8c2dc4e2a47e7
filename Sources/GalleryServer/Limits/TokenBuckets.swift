import Foundation
import GalleryKit
import HTTPTypes
import Synchronization

/// A token bucket per client: `perMinute` requests a minute on average, bursts up to `perMinute`.
///
/// Pure arithmetic over an injected time; the state is a bounded table (clients whose bucket is full
/// again are forgotten first), so a flood of addresses cannot grow memory without limit.
struct TokenBuckets: Sendable {
    let perMinute: Int
    let maximumClients: Int
    private var buckets: [String: (tokens: Double, at: Date)] = [:]

    init(perMinute: Int, maximumClients: Int = 100_000) {
        self.perMinute = max(1, perMinute)
        self.maximumClients = max(1, maximumClients)
    }

    private var refillPerSecond: Double { Double(perMinute) / 60 }

    /// Takes a token for `client` at `now`: nil when allowed, else the seconds until one is available.
    mutating func take(_ client: String, at now: Date) -> Int? {
        var bucket = buckets[client] ?? (Double(perMinute), now)
        let elapsed = max(0, now.timeIntervalSince(bucket.at))
        bucket.tokens = min(Double(perMinute), bucket.tokens + elapsed * refillPerSecond)
        bucket.at = now
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            store(client, bucket, now: now)
            return nil
        }
        store(client, bucket, now: now)
        return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
    }

    private mutating func store(_ client: String, _ bucket: (tokens: Double, at: Date), now: Date) {
        if buckets[client] == nil, buckets.count >= maximumClients {
            // Forget clients whose bucket has refilled; if none has, the oldest half.
            let full = Double(perMinute) / refillPerSecond
            buckets = buckets.filter { now.timeIntervalSince($0.value.at) < full }
            if buckets.count >= maximumClients {
                let keep = buckets.sorted { $0.value.at > $1.value.at }.prefix(maximumClients / 2)
                buckets = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
            }
        }
        buckets[client] = bucket
    }

    var clientCount: Int { buckets.count }
}
