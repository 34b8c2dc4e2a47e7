import Foundation
import GalleryKit
import ImageProcessing
import TestSupport
import Testing

/// Operators' actions on photos, over a real local bucket, publisher (libvips) and generator: take-down,
/// hide and unhide, review before publishing.
struct CuratorTests {
    let bucket: LocalBucket
    let store: ObservedStore
    let queue: FileJobQueue
    let generator: Generator
    let publisher: Publisher
    let curator: Curator
    var configuration: GalleryConfiguration

    init(review: Bool = false, pageSize: Int = 2) async throws {
        let root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(
            root: root.appendingPathComponent("bucket"), postURL: "http://127.0.0.1:8080/bucket", credentials: nil)
        store = ObservedStore(bucket)
        queue = try FileJobQueue(directory: root.appendingPathComponent("jobs"))
        var configuration = GalleryConfiguration(publicURL: "http://127.0.0.1:8080")
        configuration.pageSize = pageSize
        configuration.reviewUploads = review
        self.configuration = configuration
        let theme = try await Theme(directory: Fixtures.site)
        let generator = Generator(store: store, renderer: PageRenderer(theme: theme, configuration: configuration))
        self.generator = generator
        publisher = Publisher(
            store: store, queue: queue, configuration: configuration, maker: try RenditionMaker(),
            isShown: { await generator.shows(key: $0) }
        ) { photo in _ = try? await generator.publish([photo]) }
        curator = Curator(
            store: store, queue: queue, generator: generator, publisher: publisher, configuration: configuration)
    }

    static func key(_ index: Int) -> String { "incoming/photo-\(index)" }

    /// Uploads photo `index` titled "Photo <index>" and processes it as a signal would.
    @discardableResult
    func upload(_ index: Int, title: String? = nil) async throws -> UploadOutcome {
        let key = Self.key(index)
        try await bucket.put(key: key, body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await queue.enqueue(
            Job(
                key: key, title: try Title(normalizing: title ?? "Photo \(index)"), createdAt: Date(),
                expiresAt: Date() + 600))
        return try await publisher.process(key: key)
    }

    func text(_ key: String) async throws -> String? {
        try await bucket.read(key: key, range: nil).map { String(decoding: $0, as: UTF8.self) }
    }

    func manifestKeys() async throws -> [String] {
        try #require(try await ManifestStore(store: bucket).photos()).filter { !$0.isGap }.map(\.key)
    }

    func exists(_ key: String) async throws -> Bool { try await bucket.head(key: key) != nil }

    func record(_ index: Int) async throws -> (photo: GalleryPhoto, standing: PhotoStanding)? {
        try await bucket.read(key: SiteLayout.recordKey(id: "photo-\(index)"), range: nil).flatMap(PhotoRecord.read)
    }

    @Test func removingAPhotoLeavesAGapAndKeepsLaterPagesWhereTheyWere() async throws {
        for index in 1...5 { try await upload(index) }
        try await generator.rebuild()
        let removed = try #require(try await record(2)).photo
        #expect(try await text("page/3.html")?.contains("Photo 5") == true)

        try await curator.remove(Self.key(2))

        #expect(try await manifestKeys() == [1, 3, 4, 5].map(Self.key))
        #expect(
            try await GalleryManifest.header(of: try #require(try await bucket.read(key: "gallery.json", range: nil)))?
                .gaps == 1)
        #expect(try await !exists("photo/photo-2.html"))
        for image in removed.images { #expect(try await !exists(image.key)) }
        #expect(try await !exists(Self.key(2)))
        #expect(try await record(2)?.standing == .removed)
        #expect(try await record(2)?.photo.title == .untitled, "the record keeps only the photo's place")
        // Page 1 holds one photo fewer; page 3 still holds photo 5: nothing was renumbered.
        let page1 = try #require(try await text("page/1.html"))
        #expect(page1.contains("Photo 1") && !page1.contains("Photo 2"))
        #expect(try await text("page/2.html")?.contains("Photo 3") == true)
        #expect(try await text("page/3.html")?.contains("Photo 5") == true)
        // Neighbours link past the gap; the feeds and the index forget the photo.
        #expect(try await text("photo/photo-1.html")?.contains("photo/photo-3.html") == true)
        #expect(try await text("photo/photo-3.html")?.contains("photo/photo-1.html") == true)
        for key in ["feed.atom", "feed.json", "index.html"] {
            let text = try #require(try await text(key))
            #expect(!text.contains("photo-2"), "\(key) still names the photo")
        }
        #expect(try await text("index.html")?.contains("4 photos") == true)

        // A full rebuild keeps the gap (the record says where it was): page 3 still holds photo 5.
        try await generator.rebuild()
        #expect(try await text("page/3.html")?.contains("Photo 5") == true)
        #expect(try await manifestKeys() == [1, 3, 4, 5].map(Self.key))
    }

    @Test func aRemovedPhotoStaysOffWhenItsUploadIsSignalledAgain() async throws {
        try await upload(1)
        try await upload(2)
        try await curator.remove(Self.key(1), keepOriginal: true)
        #expect(try await exists(Self.key(1)), "--keep-original keeps the upload")
        #expect(try await publisher.process(key: Self.key(1)) == .withdrawn)
        #expect(try await manifestKeys() == [Self.key(2)])
        #expect(try await !exists("photo/photo-1.html"))
    }

    @Test func hiddenPhotosWaitPrivatelyAndComeBackToTheirPlace() async throws {
        for index in 1...3 { try await upload(index) }
        let photo = try #require(try await record(1)).photo
        let pageBefore = try #require(try await text("page/1.html"))

        try await curator.hide(Self.key(1))
        #expect(try await manifestKeys() == [2, 3].map(Self.key))
        for image in photo.images {
            #expect(try await !exists(image.key))
            #expect(try await exists(SiteLayout.heldKey(image.key)))
            #expect(!configuration.isPublic(SiteLayout.heldKey(image.key)))
        }
        #expect(try await !exists("photo/photo-1.html"))
        #expect(try await record(1)?.standing == .hidden)
        #expect(try await publisher.process(key: Self.key(1)) == .withdrawn)

        try await curator.unhide(Self.key(1))
        #expect(try await manifestKeys() == [1, 2, 3].map(Self.key))
        for image in photo.images { #expect(try await exists(image.key)) }
        #expect(try await exists("photo/photo-1.html"))
        #expect(try await text("page/1.html") == pageBefore)
        #expect(try await record(1)?.standing == .shown)
    }

    @Test func reviewHoldsUploadsUntilApprovedAndRejectDeletesThem() async throws {
        let test = try await CuratorTests(review: true)
        let title = try Title(normalizing: "Photo 1")
        #expect(try await test.upload(1) == .awaitingReview(title: title))
        #expect(try await test.upload(2) == .awaitingReview(title: try Title(normalizing: "Photo 2")))
        #expect(try await ManifestStore(store: test.bucket).photos() == nil, "nothing published yet")
        let waiting = try await test.curator.awaitingReview()
        #expect(waiting.map(\.key) == [1, 2].map(Self.key))
        for image in waiting[0].images {
            #expect(try await !test.exists(image.key))
            #expect(try await test.exists(SiteLayout.heldKey(image.key)))
        }
        #expect(try await test.queue.job(for: Self.key(1)) == nil)
        // A repeated signal leaves it waiting, not published.
        #expect(try await test.publisher.process(key: Self.key(1)) == .awaitingReview(title: title))

        let approvedAt = Date(timeIntervalSince1970: 1_900_000_000)
        try await test.curator.approve(Self.key(1), now: approvedAt)
        #expect(try await test.manifestKeys() == [Self.key(1)])
        for image in waiting[0].images { #expect(try await test.exists(image.key)) }
        #expect(try await test.record(1)?.photo.uploadedAt == approvedAt, "placed when approved: the newest")
        #expect(try await test.curator.awaitingReview().map(\.key) == [Self.key(2)])

        try await test.curator.reject(Self.key(2))
        #expect(try await test.curator.awaitingReview().isEmpty)
        #expect(try await !test.exists(Self.key(2)))
        for image in waiting[1].images { #expect(try await !test.exists(SiteLayout.heldKey(image.key))) }
        #expect(try await test.manifestKeys() == [Self.key(1)])
        await #expect(throws: CurationError.wrongStanding(Self.key(2), expected: "awaiting review")) {
            try await test.curator.approve(Self.key(2))
        }
    }

    @Test func keysAndIdsAreBothAcceptedAndNothingElse() throws {
        #expect(try curator.uploadKey("incoming/3f2a") == "incoming/3f2a")
        #expect(try curator.uploadKey("3f2a") == "incoming/3f2a")
        for bad in ["incoming/../index.html", "img/x", "a/b", "", "incoming/"] {
            #expect(throws: CurationError.self) { try curator.uploadKey(bad) }
        }
    }

    /// The requests of one take-down do not grow with the gallery (the generator has read the
    /// manifest, as a running service has).
    @Test func aTakeDownCostsTheSameRequestsWhateverTheGallerysSize() async throws {
        var counts: [Int: (requests: Int, writes: [String], deletes: Int)] = [:]
        for size in [150, 450] {
            let test = try GeneratorTests()
            for index in 1...size { try await test.addPhoto(index) }
            let generator = try await test.generator()
            try await generator.rebuild()
            test.store.reset()
            let (_, withdrawn) = try await generator.withdraw(keys: [GeneratorTests.key(size / 3)])
            #expect(withdrawn.count == 1)
            counts[size] = (test.store.requests, test.store.writes, test.store.deletes.count)
        }
        let small = try #require(counts[150])
        let large = try #require(counts[450])
        print("one take-down: \(small.requests) store requests at 150 photos, \(large.requests) at 450")
        #expect(small.requests == large.requests)
        #expect(small.writes.count == large.writes.count)
        #expect(small.deletes == large.deletes)
    }
}

/// The machine's copies of the manifest's parts: a command that starts reads from them, not the bucket.
struct PartFileCacheTests {
    @Test func aStartingGeneratorReadsThePartsItHasFromDiskAndMendsABadCopy() async throws {
        let test = try GeneratorTests()
        for index in 1...250 { try await test.addPhoto(index) }
        let cache = PartFileCache(directory: try Fixtures.temporaryDirectory("part-cache"))
        let theme = try await Theme(directory: Fixtures.site)
        let renderer = PageRenderer(theme: theme, configuration: test.configuration)
        try await Generator(store: test.store, renderer: renderer, fileCache: cache).rebuild()
        let copies = try FileManager.default.contentsOfDirectory(atPath: cache.directory.path).filter {
            $0.hasSuffix(".json")
        }
        #expect(copies.count == 4, "two full parts, the newest and the archive: \(copies)")

        test.store.reset()
        let (_, cold) = try await Generator(store: test.store, renderer: renderer).withdraw(keys: [
            GeneratorTests.key(7)
        ])
        let coldReads = test.store.reads
        test.store.reset()
        let (_, warm) = try await Generator(store: test.store, renderer: renderer, fileCache: cache).withdraw(
            keys: [GeneratorTests.key(8)])
        #expect(cold.count == 1 && warm.count == 1)
        print("a starting take-down reads \(coldReads) objects without the copies, \(test.store.reads) with them")
        #expect(test.store.reads < coldReads)

        // A damaged copy is read from the bucket again, not taken for a damaged manifest.
        for name in try FileManager.default.contentsOfDirectory(atPath: cache.directory.path) {
            try Data("{".utf8).write(to: cache.directory.appendingPathComponent(name))
        }
        let photos = try await ManifestStore(store: test.store, fileCache: cache).photos()
        #expect(photos?.count == 250)
    }
}
