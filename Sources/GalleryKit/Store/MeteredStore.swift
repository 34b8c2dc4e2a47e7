public import Foundation
public import SigV4
import Synchronization

/// Counts every call to the store it wraps, in either mode, by operation and outcome.
public struct MeteredStore: ObjectStore {
    public let inner: any ObjectStore
    public let metrics: GalleryMetrics

    public init(_ inner: any ObjectStore, metrics: GalleryMetrics) {
        self.inner = inner
        self.metrics = metrics
    }

    public var bucket: String { inner.bucket }

    private func measure<T>(_ operation: String, _ body: () async throws -> T, outcome: (T) -> String = { _ in "ok" })
        async throws -> T
    {
        do {
            let result = try await body()
            metrics.storeRequest(operation, outcome: outcome(result))
            return result
        } catch ObjectStoreError.noSuchKey(let key) {
            metrics.storeRequest(operation, outcome: "not_found")
            throw ObjectStoreError.noSuchKey(key)
        } catch {
            metrics.storeRequest(operation, outcome: "error")
            throw error
        }
    }

    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        try await measure("list") {
            try await inner.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
        }
    }
    public func head(key: String) async throws -> ObjectHead? {
        try await measure("head", { try await inner.head(key: key) }, outcome: { $0 == nil ? "not_found" : "ok" })
    }
    public func read(key: String, range: Range<Int>?) async throws -> Data? {
        try await measure(
            "get", { try await inner.read(key: key, range: range) }, outcome: { $0 == nil ? "not_found" : "ok" })
    }
    public func readVersion(key: String) async throws -> (data: Data, etag: String)? {
        try await measure(
            "get", { try await inner.readVersion(key: key) }, outcome: { $0 == nil ? "not_found" : "ok" })
    }
    public func tags(key: String) async throws -> [ObjectTag] {
        try await measure("get_tags") { try await inner.tags(key: key) }
    }
    public func putTags(_ tags: [ObjectTag], key: String) async throws {
        try await measure("put_tags") { try await inner.putTags(tags, key: key) }
    }
    public func put(
        key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?
    ) async throws -> String {
        let etag = try await measure("put") {
            try await inner.put(
                key: key, body: body, contentType: contentType, cacheControl: cacheControl, condition: condition)
        }
        metrics.storeBytesWritten(body.count)
        return etag
    }
    public func delete(key: String) async throws {
        try await measure("delete") { try await inner.delete(key: key) }
    }
    public func presignedGetURL(key: String, expiresIn: Int, now: Date) async throws -> String? {
        try await inner.presignedGetURL(key: key, expiresIn: expiresIn, now: now)
    }
    public func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        try await measure("presign") {
            try await inner.presignPost(
                key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
        }
    }
}
