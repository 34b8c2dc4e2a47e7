public import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the local bucket serves for a key: the file holding its bytes and its headers.
public struct ServedObject: Sendable, Hashable {
    /// The file's path.
    public let path: String
    /// Type, size, ETag, Last-Modified and cache header.
    public let head: ObjectHead
    /// The bytes, for a small file (at most `ServingCache.smallFileBytes`): served from memory.
    public let body: Data?
}
