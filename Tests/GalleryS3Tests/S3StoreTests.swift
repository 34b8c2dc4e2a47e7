import AsyncHTTPClient
import Foundation
import GalleryKit
import GalleryS3
import ImageProcessing
import NIOCore
import NIOHTTP1
import SigV4
import TestSupport
import Testing

@Suite(.enabled(if: MotoServer.shouldRun, "moto is not installed (run .ci/test)"))
struct S3StoreTests {
    @Test func putHeadReadTagsDeleteAgainstMoto() async throws {
        let moto = try await MotoStore()
        let store = moto.store
        try await store.put(
            key: "photos/a b+c/ü.png", body: Fixtures.png, contentType: "image/png", cacheControl: "immutable")
        let head = try #require(try await store.head(key: "photos/a b+c/ü.png"))
        #expect(head.size == Fixtures.png.count)
        #expect(head.contentType == "image/png")
        #expect(head.cacheControl == "immutable")
        #expect(head.etag == "\"2cd8bde463f5d82aae0f0cec061d6b8f\"")
        // Last-Modified (RFC 9110's date) read by AmzDate: now, not the epoch a failed parse gives.
        #expect(abs(head.lastModified.timeIntervalSinceNow) < 120, "\(head.lastModified)")
        #expect(try await store.read(key: "photos/a b+c/ü.png", range: nil) == Fixtures.png)
        #expect(try await store.read(key: "photos/a b+c/ü.png", range: 0..<8) == Fixtures.png.prefix(8))
        #expect(try await store.head(key: "photos/missing") == nil)
        #expect(try await store.read(key: "photos/missing", range: nil) == nil)
        await #expect(throws: ObjectStoreError.noSuchKey("photos/missing")) {
            try await store.tags(key: "photos/missing")
        }

        try await store.putTags([ObjectTag(key: "Title", value: "Zürich 東京")], key: "photos/a b+c/ü.png")
        #expect(try await store.tags(key: "photos/a b+c/ü.png") == [ObjectTag(key: "Title", value: "Zürich 東京")])
        #expect(try await store.listAll(prefix: "photos/").map(\.key) == ["photos/a b+c/ü.png"])
        try await store.delete(key: "photos/a b+c/ü.png")
        try await store.delete(key: "photos/a b+c/ü.png")
        #expect(try await store.head(key: "photos/a b+c/ü.png") == nil)
    }

    /// moto honours `If-Match` and `If-None-Match: *` on PutObject as S3 does (412).
    @Test func conditionalWritesAgainstMoto() async throws {
        let moto = try await MotoStore()
        try await ConditionalWriteContract.check(moto.store)
    }

    @Test func listingFollowsContinuationTokensPastAThousandObjects() async throws {
        let moto = try await MotoStore()
        let store = moto.store
        let count = 1_234
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in stride(from: 0, to: count, by: count / 16 + 1) {
                group.addTask {
                    for index in batch..<min(count, batch + count / 16 + 1) {
                        try await store.put(
                            key: String(format: "photos/%05d", index), body: Data("\(index)".utf8),
                            contentType: "text/plain",
                            cacheControl: nil)
                    }
                }
            }
            try await group.waitForAll()
        }
        let first = try await store.list(prefix: "photos/", continuationToken: nil, maxKeys: 1000)
        #expect(first.objects.count == 1000)
        #expect(first.nextContinuationToken != nil)
        let all = try await store.listAll(prefix: "photos/")
        #expect(all.count == count)
        #expect(all.map(\.key) == (0..<count).map { String(format: "photos/%05d", $0) })
        print("listed \(all.count) objects from moto in \((count + 999) / 1000) pages")
    }

    @Test func thePublisherMergesTitlesIntoExistingTagsAndWritesRenditions() async throws {
        let moto = try await MotoStore()
        let store = moto.store
        let queue = try FileJobQueue(directory: try Fixtures.temporaryDirectory())
        try await store.put(key: "incoming/cat", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await store.putTags(
            [ObjectTag(key: "camera", value: "X100"), ObjectTag(key: "Title", value: "old")], key: "incoming/cat")
        try await queue.enqueue(
            Job(
                key: "incoming/cat", title: try Title(normalizing: "Ελλάδα"), createdAt: Date(), expiresAt: Date() + 600
            ))
        let publisher = Publisher(
            store: store, queue: queue, configuration: GalleryConfiguration(publicURL: "http://x"),
            maker: try RenditionMaker(), pages: PageUpdatesProbe())
        #expect(
            try await publisher.process(key: "incoming/cat")
                == .published(title: try Title(normalizing: "Ελλάδα"), changed: true))
        #expect(
            try await store.tags(key: "incoming/cat") == [
                ObjectTag(key: "camera", value: "X100"), ObjectTag(key: "Title", value: "Ελλάδα"),
            ])
        let renditions = try await store.listAll(prefix: "img/cat/")
        #expect(renditions.count == 1)  // a 1×1 photo: one rendition, its own width
        let rendition = try #require(renditions.first)
        let head = try #require(try await store.head(key: rendition.key))
        #expect(head.contentType == "image/webp")
        #expect(head.cacheControl == Publisher.immutable)
        #expect(try await store.head(key: "records/cat.json") != nil)

        try await store.put(key: "incoming/evil", body: Fixtures.svg, contentType: "image/svg+xml", cacheControl: nil)
        guard case .rejected = try await publisher.process(key: "incoming/evil") else {
            Issue.record("an SVG was not rejected")
            return
        }
        #expect(try await store.head(key: "incoming/evil") == nil)
        #expect(try await store.listAll(prefix: "img/evil/").isEmpty)
    }

    @Test func s3ErrorsAreTypedWithCodeAndMessage() async throws {
        let moto = try await MotoStore()
        let missing = S3Store(
            client: S3Client(
                endpoint: S3Endpoint(
                    bucket: "no-such-bucket", region: "us-east-1", customEndpoint: URL(string: moto.moto.endpoint)!),
                http: HTTPClient.shared, credentials: StaticCredentials(MotoStore.credentials)))
        do {
            _ = try await missing.list(prefix: "", continuationToken: nil, maxKeys: 10)
            Issue.record("listing a missing bucket succeeded")
        } catch let error as S3Error {
            #expect(error.code == "NoSuchBucket")
            #expect(error.status == 404)
            #expect(!error.message.isEmpty)
            #expect(!error.isRetryable)
            #expect(error.description.contains("NoSuchBucket"))
            #expect(!error.description.contains(MotoStore.credentials.secretAccessKey + "x"))
        }
    }

    @Test func presignedPostMatchesTheEndpointAndUploadsToMoto() async throws {
        let moto = try await MotoStore()
        let form = try await moto.store.presignPost(
            key: "photos/posted", fields: [], conditions: [.startsWith(field: "Content-Type", prefix: "image/")],
            expiresIn: 600, now: Date())
        #expect(form.url == moto.moto.endpoint + "/gallery-test")
        let (body, contentType) = Fixtures.multipart(
            fields: form.post.fields.map { ($0.name, $0.value) } + [("Content-Type", "image/png")], file: Fixtures.png)
        var request = HTTPClientRequest(url: form.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: contentType)
        request.body = .bytes(body)
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        #expect((200..<300).contains(response.status.code))
        #expect(try await moto.store.head(key: "photos/posted")?.contentType == "image/png")
    }
}
