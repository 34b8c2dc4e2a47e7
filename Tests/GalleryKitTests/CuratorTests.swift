import Foundation
import GalleryKit
import ImageProcessing
import Synchronization
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

    /// Keys whose next write or delete fails (as a crash or a lost connection would stop a command there).
    let failing = Failing()

    init(
        review: Bool = false, pageSize: Int = 2, publicOriginals: Bool = false, publishes: Bool = true,
        bucketAt existing: URL? = nil
    ) async throws {
        let root = try existing ?? Fixtures.temporaryDirectory()
        bucket = try LocalBucket(
            root: root.appendingPathComponent("bucket"), postURL: "http://127.0.0.1:8080/bucket", credentials: nil)
        let failing = self.failing
        store = ObservedStore(
            bucket, beforePut: { try failing.check($0) }, beforeDelete: { try failing.check($0) })
        queue = try FileJobQueue(directory: root.appendingPathComponent("jobs"))
        var configuration = GalleryConfiguration(publicURL: "http://127.0.0.1:8080")
        configuration.pageSize = pageSize
        configuration.reviewUploads = review
        configuration.renditions.publicOriginals = publicOriginals
        self.configuration = configuration
        let theme = try await Theme(directory: Fixtures.site)
        let generator = Generator(store: store, renderer: PageRenderer(theme: theme, configuration: configuration))
        self.generator = generator
        let requested = self.requested
        publisher = Publisher(
            store: store, queue: queue, configuration: configuration,
            maker: try RenditionMaker(settings: configuration.renditions),
            pages: PageUpdatesProbe(isShown: { await generator.shows(key: $0) }) { photo in
                if publishes { _ = try? await generator.publish([photo]) } else { await requested.add(photo) }
            })
        curator = Curator(
            store: store, queue: queue, generator: generator, publisher: publisher, configuration: configuration)
    }

    /// Publications asked for and not made (`publishes: false`): ones still on their way.
    let requested = Requested()

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

    /// A take-down done again (a manage link posted over and over, say) redid the whole take-down:
    /// the pages, listings and deletes, each time. Once the record says removed, a few lookups.
    @Test func aTakeDownDoneAgainCostsOnlyItsLookups() async throws {
        for index in 1...3 { try await upload(index) }
        try await curator.remove(Self.key(2))
        store.reset()
        #expect(try await curator.remove(Self.key(2)) == nil)
        print("a take-down done again: \(store.requests) store requests")
        #expect(store.writes.isEmpty && store.lists == 0)
        #expect(store.requests <= 4, "\(store.requests) requests")
        #expect(try await manifestKeys() == [1, 3].map(Self.key))
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
        let waiting = try await test.curator.awaitingReview().photos
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
        #expect(try await test.curator.awaitingReview().photos.map(\.key) == [Self.key(2)])

        try await test.curator.reject(Self.key(2))
        #expect(try await test.curator.awaitingReview().photos.isEmpty)
        #expect(try await !test.exists(Self.key(2)))
        for image in waiting[1].images { #expect(try await !test.exists(SiteLayout.heldKey(image.key))) }
        #expect(try await test.manifestKeys() == [Self.key(1)])
        await #expect(throws: CurationError.wrongStanding(Self.key(2), expected: "awaiting review")) {
            try await test.curator.approve(Self.key(2))
        }
    }

    // MARK: Found in review

    /// A take-down that stopped after the manifest was written (here: writing the index failed) left
    /// the photo on the index and its page up; doing it again found a gap and rewrote nothing.
    @Test func aTakeDownStoppedHalfWayIsFinishedByDoingItAgain() async throws {
        for index in 1...3 { try await upload(index) }
        failing.fail("index.html")
        await #expect(throws: Failing.Stop.self) { try await curator.remove(Self.key(3)) }
        #expect(try await text("index.html")?.contains("Photo 3") == true, "the stop left the index as it was")
        let again = try await CuratorTests(bucketAt: bucket.root.deletingLastPathComponent())
        try await again.curator.remove(Self.key(3))
        #expect(try await text("index.html")?.contains("Photo 3") == false)
        #expect(try await !exists("photo/photo-3.html"))
    }

    /// With public originals, a take-down that stopped after writing the record that keeps only the
    /// place lost the list of files: the public original stayed up for good. The record comes last now.
    @Test func aStoppedTakeDownStillDeletesThePublicOriginalWhenDoneAgain() async throws {
        let test = try await CuratorTests(publicOriginals: true)
        try await test.upload(1)
        let photo = try #require(try await test.record(1)).photo
        let original = try #require(photo.original)
        test.failing.fail(Self.key(1))
        await #expect(throws: Failing.Stop.self) { try await test.curator.remove(Self.key(1)) }
        try await test.curator.remove(Self.key(1))
        #expect(try await !test.exists(original.key))
        #expect(try await test.record(1)?.standing == .removed)
    }

    /// A publication on its way when the photo was taken down (asked for before, made after) brought
    /// it back: the gap was replaced by the photo. Now a gap stays one unless restored on purpose.
    @Test func aPublicationOnItsWayDoesNotBringATakenDownPhotoBack() async throws {
        for index in 1...2 { try await upload(index) }
        let shown = try #require(try await record(1)).photo
        try await curator.remove(Self.key(1))
        try await generator.publish([shown])
        #expect(try await manifestKeys() == [Self.key(2)])
        #expect(try await !exists("photo/photo-1.html"))

        // Processed, its publication still on its way, then taken down: it never shows.
        let late = try await CuratorTests(publishes: false)
        try await late.generator.rebuild()
        try await late.upload(1)
        try await late.curator.remove(Self.key(1))
        for photo in await late.requested.photos { try await late.generator.publish([photo]) }
        #expect(try await late.manifestKeys().isEmpty)

        // The same for a photo hidden while its publication was on its way.
        let hidden = try await CuratorTests(publishes: false)
        try await hidden.generator.rebuild()
        try await hidden.upload(1)
        try await hidden.curator.hide(Self.key(1))
        for photo in await hidden.requested.photos { try await hidden.generator.publish([photo]) }
        #expect(try await hidden.manifestKeys().isEmpty)
        try await hidden.curator.unhide(Self.key(1))
        #expect(try await hidden.manifestKeys() == [Self.key(1)])
    }

    /// An upload still pending when it was removed with `--keep-original` was published by its next signal.
    @Test func aPendingUploadRemovedWithItsOriginalKeptIsNeverPublished() async throws {
        try await bucket.put(key: Self.key(1), body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await queue.enqueue(
            Job(key: Self.key(1), title: try Title(normalizing: "Later"), createdAt: Date(), expiresAt: Date() + 600))
        try await curator.remove(Self.key(1), keepOriginal: true)
        #expect(try await publisher.process(key: Self.key(1)) == .withdrawn)
        #expect(try await ManifestStore(store: bucket).photos()?.filter { !$0.isGap }.isEmpty ?? true)
    }

    /// Taking down the newest page's photos left the index saying "No photos yet".
    @Test func theIndexShowsTheNewestPhotosPastAnyGaps() async throws {
        for index in 1...4 { try await upload(index) }
        try await curator.remove(Self.key(4))
        try await curator.remove(Self.key(3))
        let index = try #require(try await text("index.html"))
        #expect(!index.contains("No photos yet"))
        #expect(index.contains("Photo 2") && index.contains("Photo 1"))
        #expect(index.contains("2 photos"))
    }

    /// Rejecting an upload posted again over an approved photo deleted the photo's original and left
    /// a record a full rebuild could not place; now the photo is taken down with it, cleanly.
    @Test func rejectingAReplacementOfAShownPhotoTakesThePhotoDown() async throws {
        let test = try await CuratorTests(review: true)
        try await test.upload(1)
        try await test.curator.approve(Self.key(1))
        #expect(try await test.manifestKeys() == [Self.key(1)])
        let tags = try await test.bucket.tags(key: Self.key(1))
        #expect(tags.contains { $0.key == Publisher.uploadedAtTag }, "its place is kept for remade renditions")
        try await test.bucket.put(key: Self.key(1), body: Fixtures.redPNG, contentType: "image/png", cacheControl: nil)
        #expect(
            try await test.publisher.process(key: Self.key(1))
                == .awaitingReview(title: try Title(normalizing: "Photo 1")))
        try await test.curator.reject(Self.key(1))
        #expect(try await test.manifestKeys().isEmpty)
        #expect(try await test.record(1)?.standing == .removed)
        try await test.generator.rebuild()
        #expect(try await test.manifestKeys().isEmpty)
    }

    /// The review page read every waiting record on every view: now the oldest few, and the count.
    @Test func theReviewListIsBoundedAndCountsTheRest() async throws {
        let test = try await CuratorTests(review: true)
        for index in 1...3 { try await test.upload(index) }
        let waiting = try await test.curator.awaitingReview(limit: 2)
        #expect(waiting.photos.count == 2 && waiting.total == 3)
    }

    /// A command run with other settings than the service's rewrote live pages with its own.
    @Test func aCommandWithOtherSettingsThanTheGallerysIsRefused() async throws {
        try await upload(1)
        let other = try await CuratorTests(pageSize: 7, bucketAt: bucket.root.deletingLastPathComponent())
        await #expect(throws: CurationError.otherSettings) { try await other.curator.remove(Self.key(1)) }
        #expect(try await manifestKeys() == [Self.key(1)])
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
        for size in [120, 240] {
            let test = try GeneratorTests()
            for index in 1...size { try await test.addPhoto(index) }
            let generator = try await test.generator()
            try await generator.rebuild()
            test.store.reset()
            let (_, withdrawn) = try await generator.withdraw(keys: [GeneratorTests.key(size / 3)])
            #expect(withdrawn.count == 1)
            counts[size] = (test.store.requests, test.store.writes, test.store.deletes.count)
        }
        let small = try #require(counts[120])
        let large = try #require(counts[240])
        print("one take-down: \(small.requests) store requests at 120 photos, \(large.requests) at 240")
        #expect(small.requests == large.requests)
        #expect(small.writes.count == large.writes.count)
        #expect(small.deletes == large.deletes)
    }
}

/// Keys whose next write or delete fails once.
final class Failing: Sendable {
    private let keys = Mutex<Set<String>>([])

    struct Stop: Error {}

    func fail(_ key: String) { keys.withLock { _ = $0.insert(key) } }

    func check(_ key: String) throws {
        if keys.withLock({ $0.remove(key) }) != nil { throw Stop() }
    }
}

/// Photos whose publication was asked for and is still on its way.
actor Requested {
    private(set) var photos: [GalleryPhoto] = []
    func add(_ photo: GalleryPhoto) { photos.append(photo) }
}

/// The machine's copies of the manifest's parts: a command that starts reads from them, not the bucket.
struct PartFileCacheTests {
    @Test func aStartingGeneratorReadsThePartsItHasFromDiskAndMendsABadCopy() async throws {
        let test = try GeneratorTests()
        for index in 1...210 { try await test.addPhoto(index) }
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
        #expect(photos?.count == 210)
    }
}

/// The secret that signs links: made once, kept privately, the same for every instance.
struct LinkSecretTests {
    @Test func theSecretIsMadeOnceAndReadableByThisUserOnly() async throws {
        let root = try Fixtures.temporaryDirectory()
        let bucket = try LocalBucket(root: root, postURL: "http://127.0.0.1:8080/bucket", credentials: nil)
        let first = try await LinkSecret.load(from: bucket)
        let second = try await LinkSecret.load(from: bucket)
        #expect(first == second && first.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: root.path + "/" + LinkSecret.key)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(!GalleryConfiguration(publicURL: "http://x").isPublic(LinkSecret.key))
    }
}
