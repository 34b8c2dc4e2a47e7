public import Foundation
public import SigV4

/// A bucket of objects: real S3 or the embedded local bucket. Everything the gallery does to storage goes through this.
public protocol ObjectStore: Sendable {
    /// The bucket's name.
    var bucket: String { get }

    /// One page of keys that start with `prefix`, in UTF-8 byte order, at most `maxKeys` of them.
    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage

    /// The object's metadata, or nil when there is no such object.
    func head(key: String) async throws -> ObjectHead?

    /// The object's bytes (or the bytes in `range`), or nil when there is no such object.
    func read(key: String, range: Range<Int>?) async throws -> Data?

    /// The object's bytes and the entity tag of those very bytes (one read: a HEAD then a GET could
    /// pair old bytes with a newer tag), or nil when there is no such object.
    func readVersion(key: String) async throws -> (data: Data, etag: String)?

    /// The object's tags; throws `ObjectStoreError.noSuchKey` when there is no such object.
    func tags(key: String) async throws -> [ObjectTag]

    /// Replaces the object's whole tag set (callers merge first).
    func putTags(_ tags: [ObjectTag], key: String) async throws

    /// Writes an object, replacing any object at `key`; with a `condition`, only if it holds when the
    /// write happens (S3's conditional PutObject), else throws `ObjectStoreError.preconditionFailed`.
    /// Returns the stored object's entity tag, with quotes.
    @discardableResult
    func put(key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?)
        async throws -> String

    /// A URL that lets a browser read the private object `key` for `expiresIn` seconds (S3: a presigned
    /// GET), or nil when the store has none (the embedded bucket: the service serves it itself).
    func presignedGetURL(key: String, expiresIn: Int, now: Date) async throws -> String?

    /// Deletes an object; deleting a missing object succeeds, as in S3.
    func delete(key: String) async throws

    /// A presigned POST form that lets a browser upload to `key` under `conditions` until `expiresIn` seconds from `now`.
    func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm
}

extension ObjectStore {
    /// Writes an object, replacing any object at `key`.
    public func put(key: String, body: Data, contentType: String, cacheControl: String?) async throws {
        try await put(key: key, body: body, contentType: contentType, cacheControl: cacheControl, condition: nil)
    }
}

extension ObjectStore {
    /// No presigned reads (the embedded bucket's case).
    public func presignedGetURL(key: String, expiresIn: Int, now: Date) async throws -> String? { nil }

    /// Every object under `prefix`, following continuation tokens page by page.
    public func listAll(prefix: String, pageSize: Int = 1000) async throws -> [ObjectSummary] {
        var objects: [ObjectSummary] = []
        var token: String?
        repeat {
            let page = try await list(prefix: prefix, continuationToken: token, maxKeys: pageSize)
            objects += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return objects
    }
}
