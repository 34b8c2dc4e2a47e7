import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The metadata of objects served lately, and the bytes of small ones, kept in memory and trusted
/// while their file is the same file (device, inode, size and modification time): a static GET costs
/// one `stat`, not the read and decoding of a metadata file and the opening of the object's (as
/// nginx's `open_file_cache`). Every write replaces an object's file (a rename), so a changed object
/// never matches its old identity. Bounded in entries and bytes: when full it starts again empty.
final class ServingCache: Sendable {
    struct Identity: Hashable {
        let device: UInt64
        let inode: UInt64
        let size: Int64
        let seconds: Int
        let nanoseconds: Int
    }

    private let entries = Mutex<(objects: [String: (identity: Identity, object: ServedObject)], bytes: Int)>(([:], 0))
    let capacity: Int
    /// The most bytes of small files kept.
    let byteCapacity: Int
    /// Files up to this size are kept in memory whole.
    static let smallFileBytes = 128 * 1024

    init(capacity: Int = 20_000, byteCapacity: Int = 64 * 1024 * 1024) {
        self.capacity = capacity
        self.byteCapacity = byteCapacity
    }

    /// The identity of the regular file at `path`; nil when there is none.
    static func identity(of path: String) -> Identity? {
        FileStatus(path: path).flatMap(identity)
    }

    /// The identity of the open file `descriptor` and, when it is small, its bytes (both from the same
    /// file, whatever renames happen meanwhile); nil when it is not a regular file.
    static func read(_ descriptor: Int32) -> (identity: Identity, body: Data?)? {
        guard let identity = FileStatus(descriptor: descriptor).flatMap(identity) else { return nil }
        guard identity.size <= smallFileBytes else { return (identity, nil) }
        var body = Data(count: Int(identity.size))
        let complete = body.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = pread(descriptor, buffer.baseAddress! + offset, buffer.count - offset, off_t(offset))
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return false }
                offset += count
            }
            return true
        }
        return (identity, complete ? body : nil)
    }

    private static func identity(_ status: FileStatus) -> Identity? {
        guard status.isRegularFile else { return nil }
        return Identity(
            device: status.device, inode: status.inode, size: status.size, seconds: status.modifiedSeconds,
            nanoseconds: status.modifiedNanoseconds)
    }

    /// The cached object for `key` if its file is still `identity`.
    func object(for key: String, identity: Identity) -> ServedObject? {
        entries.withLock { entries in
            guard let entry = entries.objects[key], entry.identity == identity else { return nil }
            return entry.object
        }
    }

    func store(_ object: ServedObject, for key: String, identity: Identity) {
        let size = object.body?.count ?? 0
        entries.withLock { entries in
            if entries.objects.count >= capacity || entries.bytes + size > byteCapacity {
                entries = ([:], 0)
            }
            entries.bytes += size - (entries.objects[key]?.object.body?.count ?? 0)
            entries.objects[key] = (identity, object)
        }
    }
}
