import Synchronization

/// The bytes of local bucket uploads being received at once, bounded in all and per client. An
/// upload reserves what its form may bring before a byte of it is read, and what its file may bring
/// once the form's signature checks out; it returns both when done. One that does not fit is turned
/// away at once (503 with Retry-After) instead of piling up, and no client (an IPv4 address or an IPv6
/// /64) may hold more than `perClient`, so a few slow clients cannot hold the whole budget.
///
/// Uploads are streamed to disk, so this bounds the disk space and write bandwidth in flight more
/// than memory; the memory an upload holds is its current chunk and its form fields.
final class UploadBudget: Sendable {
    /// The bytes that may be in flight together.
    let capacity: Int
    /// The bytes one client may have in flight.
    let perClient: Int
    private let state = Mutex<(total: Int, byClient: [String: Int])>((0, [:]))

    init(capacity: Int, perClient: Int) {
        self.capacity = max(0, capacity)
        self.perClient = max(0, perClient)
    }

    /// Reserves `bytes` for `client`; false (and nothing reserved) when they do not fit.
    func reserve(_ bytes: Int, for client: String) -> Bool {
        state.withLock { state in
            let held = state.byClient[client, default: 0]
            guard bytes <= capacity - state.total, bytes <= perClient - held else { return false }
            state.total += bytes
            state.byClient[client] = held + bytes
            return true
        }
    }

    /// Returns what `reserve` took for `client`.
    func release(_ bytes: Int, for client: String) {
        state.withLock { state in
            state.total -= bytes
            let held = state.byClient[client, default: 0] - bytes
            state.byClient[client] = held > 0 ? held : nil
        }
    }

    /// The bytes reserved now.
    var inFlight: Int { state.withLock { $0.total } }
}
