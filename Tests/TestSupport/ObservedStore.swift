public import Foundation
public import GalleryKit
public import SigV4
import Synchronization

/// A real store with a look at its calls, for tests: it records the order of writes and deletes,
/// counts listings, each key's HEADs and the bytes written, and lets hooks refuse writes and deletes.
public final class ObservedStore: ObjectStore, Sendable {
    public let inner: any ObjectStore
    private let beforePut: @Sendable (String) throws -> Void
    private let afterPut: @Sendable (String) throws -> Void
    private let beforeDelete: @Sendable (String) throws -> Void
    private let calls = Mutex<
        (writes: [String], deletes: [String], lists: Int, heads: [String: Int], bytes: Int, reads: Int)
    >(([], [], 0, [:], 0, 0))

    /// `beforePut` may refuse a write before it happens, `afterPut` after it happened (as a retry of
    /// an applied write would), `beforeDelete` a delete.
    public init(
        _ inner: any ObjectStore, beforePut: @escaping @Sendable (String) throws -> Void = { _ in },
        afterPut: @escaping @Sendable (String) throws -> Void = { _ in },
        beforeDelete: @escaping @Sendable (String) throws -> Void = { _ in }
    ) {
        self.inner = inner
        self.beforePut = beforePut
        self.afterPut = afterPut
        self.beforeDelete = beforeDelete
    }

    /// Keys written, in order.
    public var writes: [String] { calls.withLock { $0.writes } }
    /// Keys deleted, in order.
    public var deletes: [String] { calls.withLock { $0.deletes } }
    /// Listing pages asked for.
    public var lists: Int { calls.withLock { $0.lists } }
    /// HEADs, by key.
    public var heads: [String: Int] { calls.withLock { $0.heads } }

    /// Bytes written (bodies of puts).
    public var bytesWritten: Int { calls.withLock { $0.bytes } }

    /// Forgets the calls so far.
    public func reset() {
        calls.withLock { $0 = ([], [], 0, [:], 0, 0) }
        tagWrites.withLock { $0 = 0 }
    }

    /// Reads of objects and of tags.
    public var reads: Int { calls.withLock { $0.reads } }
    /// Every request: listings, HEADs, reads, writes (of objects and tags) and deletes.
    public var requests: Int {
        calls.withLock { $0.lists + $0.heads.values.reduce(0, +) + $0.reads + $0.writes.count + $0.deletes.count }
            + tagWrites.withLock { $0 }
    }
    private let tagWrites = Mutex(0)

    public var bucket: String { inner.bucket }
    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        calls.withLock { $0.lists += 1 }
        return try await inner.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    public func head(key: String) async throws -> ObjectHead? {
        calls.withLock { $0.heads[key, default: 0] += 1 }
        return try await inner.head(key: key)
    }
    public func read(key: String, range: Range<Int>?) async throws -> Data? {
        calls.withLock { $0.reads += 1 }
        return try await inner.read(key: key, range: range)
    }
    public func readVersion(key: String) async throws -> (data: Data, etag: String)? {
        calls.withLock { $0.reads += 1 }
        return try await inner.readVersion(key: key)
    }
    public func tags(key: String) async throws -> [ObjectTag] {
        calls.withLock { $0.reads += 1 }
        return try await inner.tags(key: key)
    }
    public func putTags(_ tags: [ObjectTag], key: String) async throws {
        tagWrites.withLock { $0 += 1 }
        try await inner.putTags(tags, key: key)
    }
    public func put(
        key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?
    ) async throws -> String {
        try beforePut(key)
        calls.withLock {
            $0.writes.append(key)
            $0.bytes += body.count
        }
        let etag = try await inner.put(
            key: key, body: body, contentType: contentType, cacheControl: cacheControl, condition: condition)
        try afterPut(key)
        return etag
    }
    public func delete(key: String) async throws {
        try beforeDelete(key)
        calls.withLock { $0.deletes.append(key) }
        try await inner.delete(key: key)
    }
    public func presignedGetURL(key: String, expiresIn: Int, now: Date) async throws -> String? {
        try await inner.presignedGetURL(key: key, expiresIn: expiresIn, now: now)
    }
    public func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        try await inner.presignPost(key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
    }
}
