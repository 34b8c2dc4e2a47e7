import Foundation
import GalleryKit
import ImageProcessing
import Synchronization
import TestSupport
import Testing

/// Counts rebuild requests.
actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}

struct PublisherTests {
    let bucket: LocalBucket
    let queue: FileJobQueue
    let rebuilds = Counter()
    let publisher: Publisher

    init() throws {
        let root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(
            root: root.appendingPathComponent("bucket"), postURL: "http://x/bucket", credentials: nil)
        queue = try FileJobQueue(directory: root.appendingPathComponent("jobs"))
        let rebuilds = self.rebuilds
        var configuration = GalleryConfiguration(publicURL: "http://x")
        configuration.maximumUploadBytes = 1024 * 1024
        publisher = Publisher(
            store: bucket, queue: queue, configuration: configuration, maker: try RenditionMaker(),
            pages: PageUpdatesProbe(onShow: { _ in await rebuilds.increment() }))
    }

    func enqueue(_ key: String, _ title: String) async throws {
        try await queue.enqueue(
            Job(key: key, title: try Title(normalizing: title), createdAt: Date(), expiresAt: Date() + 600))
    }

    func record(_ key: String) async throws -> GalleryPhoto? {
        try await bucket.read(key: SiteLayout.recordKey(id: GalleryPhoto.id(forKey: key)), range: nil)
            .flatMap(PhotoRecord.decode)
    }

    @Test func publishesRenditionsTitlesTheOriginalRemovesItsJobAndAsksForOneRebuild() async throws {
        try await bucket.put(key: "incoming/a", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await bucket.putTags([ObjectTag(key: "camera", value: "X100")], key: "incoming/a")
        try await enqueue("incoming/a", "Zürich bei Nacht")

        let outcome = try await publisher.process(key: "incoming/a")
        #expect(outcome == .published(title: try Title(normalizing: "Zürich bei Nacht"), changed: true))
        #expect(
            try await bucket.tags(key: "incoming/a") == [
                ObjectTag(key: "camera", value: "X100"), ObjectTag(key: "Title", value: "Zürich bei Nacht"),
            ])
        #expect(try await queue.job(for: "incoming/a") == nil)
        #expect(await rebuilds.value == 1)
        let photo = try #require(try await record("incoming/a"))
        #expect(photo.title.text == "Zürich bei Nacht")
        #expect(photo.width == 1 && photo.height == 1)
        let rendition = try #require(photo.renditions.first)
        let head = try #require(try await bucket.head(key: rendition.key))
        #expect(head.contentType == "image/webp")
        #expect(head.cacheControl == Publisher.immutable)
        #expect(head.size == rendition.bytes)
        #expect(photo.placeholder.hasPrefix("data:image/webp;base64,"))

        // The same key again (a second signal): nothing more changes, nothing is decoded again.
        let writes = Fixtures.snapshot(bucket.root)
        let again = try await publisher.process(key: "incoming/a")
        #expect(again == .published(title: try Title(normalizing: "Zürich bei Nacht"), changed: false))
        #expect(Fixtures.snapshot(bucket.root) == writes)
        #expect(await rebuilds.value == 1)
    }

    /// A crash after the record was written but before the job was removed: the next signal still asks
    /// for the rebuild that shows the photo.
    @Test func aJobLeftBehindStillAsksForARebuild() async throws {
        try await bucket.put(key: "incoming/b", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/b", "Left behind")
        _ = try await publisher.process(key: "incoming/b")
        try await enqueue("incoming/b", "Left behind")
        #expect(
            try await publisher.process(key: "incoming/b")
                == .published(title: try Title(normalizing: "Left behind"), changed: false))
        #expect(await rebuilds.value == 2)
        #expect(try await queue.job(for: "incoming/b") == nil)
    }

    /// Issue 12, item 7: with the tag written but the job's removal failed (or the rebuild request lost),
    /// the next signal found the tag set and never asked for a rebuild: the photo stayed off the pages
    /// until a restart. A published photo the gallery does not show is asked for again, job or not.
    @Test func aPublishedPhotoMissingFromTheGalleryIsAskedForAgain() async throws {
        let shown = Mutex(false)
        let publisher = Publisher(
            store: bucket, queue: queue, configuration: GalleryConfiguration(publicURL: "http://x"),
            maker: try RenditionMaker(),
            pages: PageUpdatesProbe(isShown: { _ in shown.withLock { $0 } }) { _ in await rebuilds.increment() })
        try await bucket.put(key: "incoming/lost", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/lost", "Lost request")
        _ = try await publisher.process(key: "incoming/lost")
        #expect(await rebuilds.value == 1)
        // The job is gone, the tag and record are there, the gallery does not show it: asked again.
        #expect(try await queue.job(for: "incoming/lost") == nil)
        _ = try await publisher.process(key: "incoming/lost")
        #expect(await rebuilds.value == 2)
        // Once it is shown, another signal asks for nothing.
        shown.withLock { $0 = true }
        _ = try await publisher.process(key: "incoming/lost")
        #expect(await rebuilds.value == 2)
    }

    /// Another process (here: a second queue over the same folder) holds the job: this one leaves it alone,
    /// and once that claim is gone the job is processed exactly once.
    @Test func aJobClaimedByAnotherProcessIsLeftToIt() async throws {
        try await bucket.put(key: "incoming/c", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/c", "Claimed")
        let other = try FileJobQueue(directory: queue.directory)
        let claim = try await other.claim(key: "incoming/c")
        guard case .claimed = claim else {
            Issue.record("expected a claim, got \(claim)")
            return
        }
        if case .claimed = try await queue.claim(key: "incoming/c") { Issue.record("two claims on one job") }
        #expect(try await publisher.process(key: "incoming/c") == .busy)
        #expect(try await bucket.tags(key: "incoming/c").isEmpty)
        #expect(try await queue.job(for: "incoming/c") != nil)

        claim.release()
        #expect(
            try await publisher.process(key: "incoming/c")
                == .published(title: try Title(normalizing: "Claimed"), changed: true))
        if case .noJob = try await other.claim(key: "incoming/c") {} else { Issue.record("the job should be gone") }
        #expect(await rebuilds.value == 1)
    }

    /// With patience (as `/uploaded` asks), a job another process holds is waited for, not polled:
    /// processed as soon as that one lets go; and if that one refused and deleted the upload
    /// meanwhile, the answer is "missing", not a failure.
    @Test func aJobHeldElsewhereIsWaitedForWithPatience() async throws {
        try await bucket.put(key: "incoming/w", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/w", "Waited for")
        let other = try FileJobQueue(directory: queue.directory)
        let claim = try await other.claim(key: "incoming/w")
        #expect(claim.isClaimed)
        let letGo = Task {
            try await Task.sleep(for: .milliseconds(200))
            claim.release()
        }
        #expect(
            try await publisher.process(key: "incoming/w", waitingUpTo: .seconds(30))
                == .published(title: try Title(normalizing: "Waited for"), changed: true))
        try await letGo.value

        try await bucket.put(key: "incoming/r", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/r", "Refused elsewhere")
        let refusal = try await other.claim(key: "incoming/r")
        let refuse = Task {
            try await Task.sleep(for: .milliseconds(200))
            try await self.bucket.delete(key: "incoming/r")
            try await other.remove(key: "incoming/r")
            refusal.release()
        }
        #expect(try await publisher.process(key: "incoming/r", waitingUpTo: .seconds(30)) == .missing)
        try await refuse.value
    }

    @Test func withoutAJobKeepsAnExistingTitleElseUntitled() async throws {
        try await bucket.put(key: "incoming/titled", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await bucket.putTags([ObjectTag(key: "Title", value: "Set by hand")], key: "incoming/titled")
        #expect(
            try await publisher.process(key: "incoming/titled")
                == .published(title: try Title(normalizing: "Set by hand"), changed: true))

        try await bucket.put(key: "incoming/bare", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        #expect(try await publisher.process(key: "incoming/bare") == .published(title: .untitled, changed: true))
        #expect(try await bucket.tags(key: "incoming/bare") == [ObjectTag(key: "Title", value: "Untitled")])
    }

    /// Whatever the stored type says, only what libvips decodes as an accepted still image is published.
    @Test(arguments: [
        (Fixtures.svg, "image/svg+xml"), (Fixtures.svg, "image/png"), (Data("<html>".utf8), "image/gif"),
        (Fixtures.pngHeadedHTML, "image/png;,text/html"), (Fixtures.png.prefix(40), "image/png"),
        (Data(), "image/jpeg"),
    ])
    func deletesWhatIsNotAnImageAndDropsItsJob(_ body: Data, _ contentType: String) async throws {
        try await bucket.put(key: "incoming/bad", body: body, contentType: contentType, cacheControl: nil)
        try await enqueue("incoming/bad", "Looks innocent")
        let outcome = try await publisher.process(key: "incoming/bad")
        guard case .rejected = outcome else {
            Issue.record("expected a rejection, got \(outcome)")
            return
        }
        #expect(try await bucket.head(key: "incoming/bad") == nil)
        #expect(try await queue.job(for: "incoming/bad") == nil)
        #expect(try await bucket.listAll(prefix: "img/").isEmpty)
        #expect(try await bucket.listAll(prefix: "records/").isEmpty)
        #expect(await rebuilds.value == 0)
    }

    @Test func anUploadOverTheLimitIsRefusedUnread() async throws {
        try await bucket.put(
            key: "incoming/big", body: Fixtures.png + Data(count: 1024 * 1024), contentType: "image/png",
            cacheControl: nil)
        guard case .rejected(let reason) = try await publisher.process(key: "incoming/big") else {
            Issue.record("an upload over the limit was published")
            return
        }
        #expect(reason.contains("limit"))
    }

    /// Issue 12, item 10: `/uploaded?key=photos/../index.html` passed the prefix check; an endpoint that
    /// normalises dot segments would have had the publisher act on a generated file.
    @Test(arguments: [
        "incoming/../index.html", "incoming/..", "incoming/.", "incoming/", "incoming//x", "incoming/a/../b",
        "incoming/a\\..\\index.html", "incoming/a\u{0}b", "incoming/a\nb", "index.html", "INCOMING/x",
    ])
    func keysWithDotSegmentsSeparatorsOrControlsAreNoUploads(_ key: String) async throws {
        #expect(!publisher.isUpload(key))
        #expect(try await publisher.process(key: key) == .ignored)
    }

    @Test func ignoresKeysOutsideTheUploadPrefixAndWaitsForMissingOnes() async throws {
        try await bucket.put(key: "index.html", body: Data("<html>".utf8), contentType: "text/html", cacheControl: nil)
        #expect(try await publisher.process(key: "index.html") == .ignored)
        #expect(try await publisher.process(key: "incoming/") == .ignored)
        #expect(try await publisher.process(key: "incoming/a/b") == .ignored)
        #expect(try await bucket.head(key: "index.html") != nil)

        try await enqueue("incoming/later", "Not here yet")
        #expect(try await publisher.process(key: "incoming/later") == .missing)
        #expect(try await queue.job(for: "incoming/later") != nil)
        #expect(await rebuilds.value == 0)
    }

    /// Another upload to a published key (a re-posted form): made anew, the old renditions deleted.
    @Test func aReplacedOriginalIsMadeAnewAndItsOldRenditionsDeleted() async throws {
        try await bucket.put(key: "incoming/r", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        _ = try await publisher.process(key: "incoming/r")
        let before = try #require(try await record("incoming/r"))
        try await bucket.put(key: "incoming/r", body: Fixtures.redPNG, contentType: "image/png", cacheControl: nil)
        #expect(try await publisher.process(key: "incoming/r") == .published(title: .untitled, changed: true))
        let after = try #require(try await record("incoming/r"))
        #expect(after.renditions.map(\.key) != before.renditions.map(\.key))
        #expect(try await bucket.listAll(prefix: "img/r/").map(\.key) == after.renditions.map(\.key))
    }

    /// The form posted again (its policy lasts ten minutes) replaces the upload and its tags, long after
    /// the job is gone: the published title holds.
    @Test func anUploadPostedAgainKeepsItsPublishedTitle() async throws {
        try await bucket.put(key: "incoming/again", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/again", "The first title")
        _ = try await publisher.process(key: "incoming/again")
        try await bucket.put(
            key: "incoming/again", body: Fixtures.redPNG, contentType: "image/png", cacheControl: nil)
        #expect(try await bucket.tags(key: "incoming/again").isEmpty)
        #expect(
            try await publisher.process(key: "incoming/again")
                == .published(title: try Title(normalizing: "The first title"), changed: true))
        #expect(try await record("incoming/again")?.title.text == "The first title")
        #expect(try await bucket.tags(key: "incoming/again") == [ObjectTag(key: "Title", value: "The first title")])
    }

    /// Making renditions again never deletes an upload, even one that no longer decodes (a lower
    /// --max-megapixels, a libvips without HEIF): it is kept for a later try.
    @Test func aRemakeThatFailsKeepsTheUpload() async throws {
        try await bucket.put(key: "incoming/kept", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        _ = try await publisher.process(key: "incoming/kept")
        try await bucket.put(key: "incoming/kept", body: Fixtures.svg, contentType: "image/png", cacheControl: nil)
        guard case .rejected = try await publisher.remake(key: "incoming/kept") else {
            Issue.record("an SVG was made into renditions")
            return
        }
        #expect(try await bucket.read(key: "incoming/kept", range: nil) == Fixtures.svg)
        #expect(try await record("incoming/kept") != nil)
    }

    /// An upload moved from an earlier version's photos/ keeps its original time, and so its place.
    @Test func anUploadedAtTagKeepsThePhotosPlace() async throws {
        try await bucket.put(key: "incoming/moved", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await bucket.putTags(
            [ObjectTag(key: "Title", value: "Old"), ObjectTag(key: "UploadedAt", value: "2020-02-03T04:05:06.789Z")],
            key: "incoming/moved")
        _ = try await publisher.process(key: "incoming/moved")
        let uploaded = try #require(try await record("incoming/moved")).uploadedAt
        #expect(abs(uploaded.timeIntervalSince1970 - 1_580_702_706.789) < 0.001)
    }

    @Test func concurrentSignalsForOneKeyAgreeOnTheTitle() async throws {
        try await bucket.put(key: "incoming/race", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("incoming/race", "The real title")
        let publisher = self.publisher
        let outcomes = try await withThrowingTaskGroup(of: UploadOutcome.self) { group in
            for _ in 0..<8 { group.addTask { try await publisher.process(key: "incoming/race") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(
            outcomes.allSatisfy {
                if case .published(let title, _) = $0 { return title.text == "The real title" }
                return false
            })
        #expect(try await bucket.tags(key: "incoming/race") == [ObjectTag(key: "Title", value: "The real title")])
        #expect(try await bucket.listAll(prefix: "img/race/").count == 1)
    }
}
