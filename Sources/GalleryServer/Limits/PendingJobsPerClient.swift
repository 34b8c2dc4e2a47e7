import Foundation

/// Which client's presigns are still pending, and how many each may have: pure bookkeeping over an
/// injected time, kept by `PendingJobLimiter`.
///
/// A slot is taken when a presign starts and holds the job's key once it is made; it is given back
/// when the job expires or, found by `release`, when its upload was published. Clients with no slot
/// are forgotten, so the table holds at most the pending jobs' count of entries plus expired ones
/// not yet pruned.
struct PendingJobsPerClient: Sendable {
    /// Slots per client.
    let limit: Int
    /// A client's slots: a job's key (nil while its presign runs) and when the slot lapses.
    private var slots: [String: [(key: String?, until: Date)]] = [:]

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot for `client` at `now`, lapsing at `until`; false when the client holds `limit`.
    mutating func take(_ client: String, now: Date, until: Date) -> Bool {
        var held = slots[client, default: []].filter { $0.until > now }
        guard held.count < limit else {
            slots[client] = held
            return false
        }
        held.append((nil, until))
        slots[client] = held
        return true
    }

    /// Names the key of the slot `take` gave (the newest unnamed one).
    mutating func name(_ client: String, key: String) {
        guard let index = slots[client]?.lastIndex(where: { $0.key == nil }) else { return }
        slots[client]?[index].key = key
    }

    /// Gives back an unnamed slot (its presign failed).
    mutating func giveBack(_ client: String) {
        guard let index = slots[client]?.lastIndex(where: { $0.key == nil }) else { return }
        slots[client]?.remove(at: index)
        if slots[client]?.isEmpty == true { slots[client] = nil }
    }

    /// The keys `client` holds slots for.
    func keys(of client: String) -> [String] { slots[client, default: []].compactMap(\.key) }

    /// Gives back the slots of `keys` (their jobs are gone: published, rejected or swept).
    mutating func release(_ client: String, keys: Set<String>) {
        slots[client]?.removeAll { $0.key.map(keys.contains) == true }
        if slots[client]?.isEmpty == true { slots[client] = nil }
    }

    /// Seconds until `client`'s first slot lapses at `now` (at least 1).
    func wait(_ client: String, now: Date) -> Int {
        let first = slots[client, default: []].map(\.until).min() ?? now
        return max(1, Int(first.timeIntervalSince(now).rounded(.up)))
    }

    /// Forgets lapsed slots of every client.
    mutating func prune(now: Date) {
        slots = slots.compactMapValues { held in
            let kept = held.filter { $0.until > now }
            return kept.isEmpty ? nil : kept
        }
    }

    /// Slots held in all.
    var count: Int { slots.values.reduce(0) { $0 + $1.count } }
}
