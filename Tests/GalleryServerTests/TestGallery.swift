import Foundation
import GalleryKit
import GalleryServer
import Hummingbird
import HummingbirdTesting
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
        review: Bool = false, galleryURL: String? = nil, store: (LocalBucket) -> any ObjectStore = { $0 }
    ) async throws {
        root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(
            root: root.appendingPathComponent("bucket"), postURL: Self.publicURL + "/bucket", credentials: nil)
        queue = try FileJobQueue(directory: root.appendingPathComponent("jobs"))
        var configuration = GalleryConfiguration(publicURL: Self.publicURL, galleryURL: galleryURL)
        configuration.maximumUploadBytes = maximumUploadBytes
        configuration.maximumPendingJobs = maximumPendingJobs
        configuration.reviewUploads = review
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
