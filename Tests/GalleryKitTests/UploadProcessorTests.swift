import Foundation
import GalleryKit
import TestSupport
import Testing

/// Counts rebuild requests.
actor Counter {
    private(set) var value = 0
    func increment() { value += 1 }
}

struct UploadProcessorTests {
    let bucket: LocalBucket
    let queue: FileJobQueue
    let rebuilds = Counter()
    let processor: UploadProcessor

    init() throws {
        let root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(
            root: root.appendingPathComponent("bucket"), postURL: "http://x/bucket", credentials: nil)
        queue = try FileJobQueue(directory: root.appendingPathComponent("jobs"))
        let rebuilds = self.rebuilds
        processor = UploadProcessor(
            store: bucket, queue: queue, configuration: GalleryConfiguration(publicURL: "http://x")
        ) { _ in await rebuilds.increment() }
    }

    func enqueue(_ key: String, _ title: String) async throws {
        try await queue.enqueue(
            Job(key: key, title: try Title(normalizing: title), createdAt: Date(), expiresAt: Date() + 600))
    }

    @Test func titlesAnUploadRemovesItsJobAndAsksForOneRebuild() async throws {
        try await bucket.put(key: "photos/a", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await bucket.putTags([ObjectTag(key: "camera", value: "X100")], key: "photos/a")
        try await enqueue("photos/a", "Zürich bei Nacht")

        let outcome = try await processor.process(key: "photos/a")
        #expect(outcome == .published(title: try Title(normalizing: "Zürich bei Nacht"), changed: true))
        #expect(
            try await bucket.tags(key: "photos/a") == [
                ObjectTag(key: "camera", value: "X100"), ObjectTag(key: "Title", value: "Zürich bei Nacht"),
            ])
        #expect(try await queue.job(for: "photos/a") == nil)
        #expect(await rebuilds.value == 1)

        // The same key again (a second signal): nothing more changes.
        let again = try await processor.process(key: "photos/a")
        #expect(again == .published(title: try Title(normalizing: "Zürich bei Nacht"), changed: false))
        #expect(try await bucket.tags(key: "photos/a").count == 2)
        #expect(await rebuilds.value == 1)
    }

    /// Another process (here: a second queue over the same folder) holds the job: this one leaves it alone,
    /// and once that claim is gone the job is processed exactly once.
    @Test func aJobClaimedByAnotherProcessIsLeftToIt() async throws {
        try await bucket.put(key: "photos/c", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("photos/c", "Claimed")
        let other = try FileJobQueue(directory: queue.directory)
        let claim = try await other.claim(key: "photos/c")
        guard case .claimed = claim else {
            Issue.record("expected a claim, got \(claim)")
            return
        }
        if case .claimed = try await queue.claim(key: "photos/c") { Issue.record("two claims on one job") }
        #expect(try await processor.process(key: "photos/c") == .busy)
        #expect(try await bucket.tags(key: "photos/c").isEmpty)
        #expect(try await queue.job(for: "photos/c") != nil)

        claim.release()
        #expect(
            try await processor.process(key: "photos/c")
                == .published(title: try Title(normalizing: "Claimed"), changed: true))
        if case .noJob = try await other.claim(key: "photos/c") {} else { Issue.record("the job should be gone") }
        #expect(await rebuilds.value == 1)
    }

    @Test func withoutAJobKeepsAnExistingTitleElseUntitled() async throws {
        try await bucket.put(key: "photos/titled", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await bucket.putTags([ObjectTag(key: "Title", value: "Set by hand")], key: "photos/titled")
        #expect(
            try await processor.process(key: "photos/titled")
                == .published(title: try Title(normalizing: "Set by hand"), changed: false))

        try await bucket.put(key: "photos/bare", body: Fixtures.jpeg, contentType: "image/jpeg", cacheControl: nil)
        #expect(try await processor.process(key: "photos/bare") == .published(title: .untitled, changed: true))
        #expect(try await bucket.tags(key: "photos/bare") == [ObjectTag(key: "Title", value: "Untitled")])
    }

    @Test(arguments: [
        (Fixtures.svg, "image/svg+xml"), (Fixtures.svg, "image/png"), (Data("<html>".utf8), "image/gif"),
        (Fixtures.png, "image/jpeg"), (Fixtures.png, "text/html"),
    ])
    func deletesWhatIsNotARasterImageAndDropsItsJob(_ body: Data, _ contentType: String) async throws {
        try await bucket.put(key: "photos/bad", body: body, contentType: contentType, cacheControl: nil)
        try await enqueue("photos/bad", "Looks innocent")
        let outcome = try await processor.process(key: "photos/bad")
        guard case .rejected = outcome else {
            Issue.record("expected a rejection, got \(outcome)")
            return
        }
        #expect(try await bucket.head(key: "photos/bad") == nil)
        #expect(try await queue.job(for: "photos/bad") == nil)
        #expect(await rebuilds.value == 0)
    }

    @Test func anImageWithoutItsTypeYetIsNotReadyRatherThanRejected() async throws {
        try await bucket.put(
            key: "photos/early", body: Fixtures.png, contentType: "binary/octet-stream", cacheControl: nil)
        try await enqueue("photos/early", "Announced too soon")
        #expect(try await processor.process(key: "photos/early") == .missing)
        #expect(try await bucket.head(key: "photos/early") != nil)
        #expect(try await queue.job(for: "photos/early") != nil)
        // Junk without a type is still rejected.
        try await bucket.put(
            key: "photos/junk", body: Fixtures.svg, contentType: "binary/octet-stream", cacheControl: nil)
        guard case .rejected = try await processor.process(key: "photos/junk") else {
            Issue.record("unlabelled junk was not rejected")
            return
        }
    }

    @Test func ignoresKeysOutsideTheUploadPrefixAndWaitsForMissingOnes() async throws {
        try await bucket.put(key: "index.html", body: Data("<html>".utf8), contentType: "text/html", cacheControl: nil)
        #expect(try await processor.process(key: "index.html") == .ignored)
        #expect(try await processor.process(key: "photos/") == .ignored)
        #expect(try await bucket.head(key: "index.html") != nil)

        try await enqueue("photos/later", "Not here yet")
        #expect(try await processor.process(key: "photos/later") == .missing)
        #expect(try await queue.job(for: "photos/later") != nil)
        #expect(await rebuilds.value == 0)
    }

    @Test func concurrentSignalsForOneKeyAgreeOnTheTitle() async throws {
        try await bucket.put(key: "photos/race", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try await enqueue("photos/race", "The real title")
        let processor = self.processor
        let outcomes = try await withThrowingTaskGroup(of: UploadOutcome.self) { group in
            for _ in 0..<8 { group.addTask { try await processor.process(key: "photos/race") } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(
            outcomes.allSatisfy {
                if case .published(let title, _) = $0 { return title.text == "The real title" }
                return false
            })
        #expect(try await bucket.tags(key: "photos/race") == [ObjectTag(key: "Title", value: "The real title")])
    }
}
