public import Foundation
public import SigV4

/// One object as a listing shows it.
public struct ObjectSummary: Sendable, Hashable {
    public let key: String
    public let size: Int
    public let lastModified: Date
    /// The entity tag, with its quotes, as S3 returns it.
    public let etag: String

    public init(key: String, size: Int, lastModified: Date, etag: String) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
    }
}

/// One page of a listing; `nextContinuationToken` is nil on the last page.
public struct ObjectListPage: Sendable, Hashable {
    public let objects: [ObjectSummary]
    public let nextContinuationToken: String?

    public init(objects: [ObjectSummary], nextContinuationToken: String?) {
        self.objects = objects
        self.nextContinuationToken = nextContinuationToken
    }
}

/// An object's metadata, as a HEAD request returns it.
public struct ObjectHead: Sendable, Hashable {
    public let key: String
    public let size: Int
    public let contentType: String
    public let lastModified: Date
    public let etag: String
    public let cacheControl: String?

    public init(key: String, size: Int, contentType: String, lastModified: Date, etag: String, cacheControl: String?) {
        self.key = key
        self.size = size
        self.contentType = contentType
        self.lastModified = lastModified
        self.etag = etag
        self.cacheControl = cacheControl
    }
}

/// One object tag.
public struct ObjectTag: Sendable, Hashable, Codable {
    public let key: String
    public let value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// Where a browser posts an upload: the URL and the signed form fields.
public struct UploadForm: Sendable, Hashable {
    public let url: String
    public let post: PresignedPost

    public init(url: String, post: PresignedPost) {
        self.url = url
        self.post = post
    }
}

/// What must hold for a conditional write to happen: how several writers of one object (instances
/// sharing a bucket, the manifest) take turns without losing each other's changes.
public enum WriteCondition: Sendable, Hashable {
    /// The object is there and its entity tag is this one (S3 `If-Match`).
    case matches(etag: String)
    /// There is no object yet (S3 `If-None-Match: *`).
    case absent
}

extension ObjectStore {
    /// Writes an object, replacing any object at `key`.
    public func put(key: String, body: Data, contentType: String, cacheControl: String?) async throws {
        try await put(key: key, body: body, contentType: contentType, cacheControl: cacheControl, condition: nil)
    }
}

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

/// Why a storage call failed, in terms the caller can act on.
public enum ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// There is no object at the key.
    case noSuchKey(String)
    /// The key cannot name an object in this store.
    case invalidKey(String, reason: String)
    /// The tag set breaks S3's tag rules.
    case invalidTag(String)
    /// The storage medium failed (disk full, permissions, …).
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

/// S3's rules for a tag set, checked before writing it.
public enum TagRules {
    /// Throws `ObjectStoreError.invalidTag` unless `tags` is a valid S3 tag set.
    public static func validate(_ tags: [ObjectTag]) throws(ObjectStoreError) {
        guard tags.count <= 10 else { throw .invalidTag("an object holds at most 10 tags, not \(tags.count).") }
        var seen: Set<String> = []
        for tag in tags {
            guard seen.insert(tag.key).inserted else { throw .invalidTag("the key '\(tag.key)' appears twice.") }
            let keyLength = tag.key.unicodeScalars.count
            guard (1...128).contains(keyLength) else { throw .invalidTag("tag keys are 1 to 128 characters.") }
            guard tag.value.unicodeScalars.count <= 256 else {
                throw .invalidTag("tag values are at most 256 characters.")
            }
            guard (tag.key + tag.value).unicodeScalars.allSatisfy(Title.isAllowedInTag) else {
                throw .invalidTag("'\(tag.key)' holds characters S3 does not allow in tags.")
            }
        }
    }
}

/// A failure of a remote store (S3 answering 5xx, throttling, no answer), as opposed to bad input.
public protocol StoreFailure: Error, CustomStringConvertible {
    /// Whether the same request may succeed later.
    var isTransient: Bool { get }
}
