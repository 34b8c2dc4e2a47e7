import Foundation

/// One cached signing key; a new day replaces it.
final class KeyCache: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var cached: SigningKey?

    func key(for scope: CredentialScope, derive: () -> SigningKey) -> SigningKey {
        lock.lock()
        defer { lock.unlock() }
        if let cached, cached.scope == scope { return cached }
        let fresh = derive()
        cached = fresh
        return fresh
    }
}
