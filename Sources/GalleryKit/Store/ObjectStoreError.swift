/// Why a storage call failed, in terms the caller can act on.
public enum ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// There is no object at the key.
    case noSuchKey(String)
    /// The key cannot name an object in this store.
    case invalidKey(String, reason: String)
    /// The tag set breaks S3's tag rules.
    case invalidTag(String)
    /// The store failed in a way that is not one of the others (an answer that does not read as
    /// what it should be, say). The local bucket's file-system failures are `FileSystemError`s.
    case io(String)
    /// A conditional write found the object changed (or there when it should not be): another writer was first.
    case preconditionFailed(String)

    public var description: String {
        switch self {
        case .noSuchKey(let key): "The object '\(key)' does not exist."
        case .invalidKey(let key, let reason): "The key '\(key)' is not valid: \(reason)"
        case .invalidTag(let reason): "The tag set is not valid: \(reason)"
        case .io(let detail): "Storage failed: \(detail)"
        case .preconditionFailed(let key): "The object '\(key)' changed since it was read: another writer was first."
        }
    }
}
