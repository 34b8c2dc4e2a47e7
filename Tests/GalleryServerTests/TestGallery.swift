import Foundation
import GalleryKit
import GalleryServer
import Hummingbird
import HummingbirdTesting
import SigV4
import Synchronization
import TestSupport

/// A whole gallery over a temporary local bucket and queue, served in process.
struct TestGallery {
    let root: URL
    let bucket: LocalBucket
    let queue: FileJobQueue
    let gallery: Gallery
    var settings = ServerSettings()

    static let publicURL = "http://127.0.0.1:8080"

    /// `store` wraps the local bucket for the gallery's own reads and writes (the POST endpoint stores
    /// into the bucket itself).
    init(
        maximumUploadBytes: Int = 1024 * 1024, maximumPendingJobs: Int = 10_000, metrics: GalleryMetrics = .none,
        store: (LocalBucket) -> any ObjectStore = { $0 }
    ) async throws {
        root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(
            root: root.appendingPathComponent("bucket"), postURL: Self.publicURL + "/bucket", credentials: nil)
        queue = try FileJobQueue(directory: root.appendingPathComponent("jobs"))
        var configuration = GalleryConfiguration(publicURL: Self.publicURL)
        configuration.maximumUploadBytes = maximumUploadBytes
        configuration.maximumPendingJobs = maximumPendingJobs
        gallery = try Gallery(
            configuration: configuration, store: store(bucket), queue: queue,
            theme: try await Theme(directory: Fixtures.site),
            metrics: metrics)
        settings.rebuildWait = .seconds(10)
        settings.rebuildAtStart = false
    }

    /// Runs `body` against the service through its router (no socket).
    func test<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = buildApplication(gallery: gallery, localBucket: bucket, settings: settings)
        return try await app.test(.router, body)
    }

    /// Runs `body` against the service listening on a free port of 127.0.0.1 (a real socket).
    func testLive<Value>(_ body: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        let app = buildApplication(gallery: gallery, localBucket: bucket, settings: settings)
        return try await app.test(.live, body)
    }

    /// The bucket's and the queue's files, to prove a request changed nothing.
    var state: [String: Data] {
        Fixtures.snapshot(bucket.root).merging(
            Fixtures.snapshot(queue.directory).mapKeys { "jobs/" + $0 }, uniquingKeysWith: { $1 })
    }
}

extension Dictionary {
    func mapKeys<T: Hashable>(_ transform: (Key) -> T) -> [T: Value] {
        Dictionary<T, Value>(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}

/// The local bucket as the gallery's store, with a look at its calls: `beforePut` sees (and may
/// refuse) each write, `heads` counts the HEADs of each key.
final class ObservedStore: ObjectStore, Sendable {
    let inner: LocalBucket
    let beforePut: @Sendable (String) throws -> Void
    let heads = Mutex<[String: Int]>([:])

    init(_ inner: LocalBucket, beforePut: @escaping @Sendable (String) throws -> Void = { _ in }) {
        self.inner = inner
        self.beforePut = beforePut
    }

    var bucket: String { inner.bucket }
    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        try await inner.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    func head(key: String) async throws -> ObjectHead? {
        heads.withLock { $0[key, default: 0] += 1 }
        return try await inner.head(key: key)
    }
    func read(key: String, range: Range<Int>?) async throws -> Data? { try await inner.read(key: key, range: range) }
    func readVersion(key: String) async throws -> (data: Data, etag: String)? {
        try await inner.readVersion(key: key)
    }
    func tags(key: String) async throws -> [ObjectTag] { try await inner.tags(key: key) }
    func putTags(_ tags: [ObjectTag], key: String) async throws { try await inner.putTags(tags, key: key) }
    func put(
        key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?
    ) async throws -> String {
        try beforePut(key)
        return try await inner.put(
            key: key, body: body, contentType: contentType, cacheControl: cacheControl, condition: condition)
    }
    func delete(key: String) async throws { try await inner.delete(key: key) }
    func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        try await inner.presignPost(key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
    }
}
