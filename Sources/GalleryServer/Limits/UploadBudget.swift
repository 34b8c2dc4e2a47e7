import Synchronization

/// The bytes of local bucket uploads being received at once, bounded. Each upload reserves its
/// declared length (or the most it may send) before a byte of it is read, and returns it when done;
/// one that does not fit is turned away at once (503 with Retry-After) instead of piling up.
///
/// Uploads are streamed to disk, so this bounds the disk space and write bandwidth in flight more
/// than memory; the memory an upload holds is its current chunk and its form fields.
final class UploadBudget: Sendable {
    /// The bytes that may be in flight together.
    let capacity: Int
    private let used = Mutex(0)

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Reserves `bytes`; false (and nothing reserved) when they do not fit beside the uploads in flight.
    func reserve(_ bytes: Int) -> Bool {
        used.withLock { used in
            guard bytes <= capacity - used else { return false }
            used += bytes
            return true
        }
    }

    /// Returns what `reserve` took.
    func release(_ bytes: Int) {
        used.withLock { $0 -= bytes }
    }

    /// The bytes reserved now.
    var inFlight: Int { used.withLock { $0 } }
}
