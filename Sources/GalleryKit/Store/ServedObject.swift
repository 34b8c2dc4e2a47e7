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
}

/// The metadata of objects served lately, kept in memory and trusted while their file is the same
/// file (device, inode, size and modification time): a static GET costs one `stat`, not the read
/// and decoding of a metadata file. Every write replaces an object's file (a rename), so a changed
/// object never matches its old identity. Bounded: when full it starts again empty.
final class ServingCache: Sendable {
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let seconds: Int
        let nanoseconds: Int
    }

    private let entries = Mutex<[String: (identity: Identity, object: ServedObject)]>([:])
    let capacity: Int

    init(capacity: Int = 20_000) { self.capacity = capacity }

    /// The identity of the regular file at `path`; nil when there is none.
    static func identity(of path: String) -> Identity? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        return Identity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            seconds: Int(time.tv_sec), nanoseconds: Int(time.tv_nsec))
    }

    /// The cached object for `key` if its file is still `identity`.
    func object(for key: String, identity: Identity) -> ServedObject? {
        entries.withLock { entries in
            guard let entry = entries[key], entry.identity == identity else { return nil }
            return entry.object
        }
    }

    func store(_ object: ServedObject, for key: String, identity: Identity) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = (identity, object)
        }
    }
}
