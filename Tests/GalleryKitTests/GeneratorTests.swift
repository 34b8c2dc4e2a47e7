import Foundation
import GalleryKit
import SigV4
import TestSupport
import Testing

/// Forwards to a real store and records the order of writes and deletes.
final class RecordingStore: ObjectStore, @unchecked Sendable {
    let inner: any ObjectStore
    private let lock = NSLock()
    private var _writes: [String] = []
    private var _deletes: [String] = []
    var writes: [String] { lock.withLock { _writes } }
    var deletes: [String] { lock.withLock { _deletes } }

    init(_ inner: any ObjectStore) { self.inner = inner }

    var bucket: String { inner.bucket }
    func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        try await inner.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
    }
    func head(key: String) async throws -> ObjectHead? { try await inner.head(key: key) }
    func read(key: String, range: Range<Int>?) async throws -> Data? { try await inner.read(key: key, range: range) }
    func tags(key: String) async throws -> [ObjectTag] { try await inner.tags(key: key) }
    func putTags(_ tags: [ObjectTag], key: String) async throws { try await inner.putTags(tags, key: key) }
    func put(key: String, body: Data, contentType: String, cacheControl: String?) async throws {
        lock.withLock { _writes.append(key) }
        try await inner.put(key: key, body: body, contentType: contentType, cacheControl: cacheControl)
    }
    func delete(key: String) async throws {
        lock.withLock { _deletes.append(key) }
        try await inner.delete(key: key)
    }
    func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        try await inner.presignPost(key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
    }
}

struct GeneratorTests {
    let root: URL
    let bucket: LocalBucket
    let store: RecordingStore
    var configuration = GalleryConfiguration(publicURL: "http://127.0.0.1:8080")

    init() throws {
        root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(root: root, postURL: "http://127.0.0.1:8080/bucket", credentials: nil)
        store = RecordingStore(bucket)
        configuration.pageSize = 60
    }

    func generator() async throws -> Generator {
        let theme = try await Theme(directory: Fixtures.site)
        return Generator(store: store, renderer: PageRenderer(theme: theme, configuration: configuration))
    }

    /// Adds photo `index`, uploaded `index` minutes after a fixed start, titled "Photo <index>".
    func addPhoto(_ index: Int, title: String? = nil) async throws {
        let key = String(format: "photos/p%04d", index)
        try await bucket.put(key: key, body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_764_000_000 + Double(index) * 60)],
            ofItemAtPath: root.appendingPathComponent(key).path)
        try await bucket.putTags([ObjectTag(key: "Title", value: title ?? "Photo \(index)")], key: key)
    }

    func page(_ key: String) async throws -> String {
        String(decoding: try #require(try await bucket.read(key: key, range: nil)), as: UTF8.self)
    }

    @Test func anEmptyGallerySaysSoAndCarriesTheTitleForm() async throws {
        let report = try await generator().rebuild()
        #expect(report.photos == 0)
        let index = try await page("index.html")
        #expect(index.contains("No photos yet"))
        #expect(index.contains(#"<form class="title-form" action="http://127.0.0.1:8080/upload" method="post">"#))
        #expect(try await bucket.head(key: "index.html")?.contentType == "text/html; charset=utf-8")
        #expect(try await bucket.head(key: "assets/style.css")?.contentType == "text/css; charset=utf-8")
    }

    @Test func pagesNewestFirstWithPhotoPagesWrittenBeforeTheIndex() async throws {
        for index in 1...130 { try await addPhoto(index) }
        // Uploaded but not yet titled: not published.
        try await bucket.put(key: "photos/untitled", body: Fixtures.png, contentType: "image/png", cacheControl: nil)

        let report = try await generator().rebuild()
        #expect(report.photos == 130)
        #expect(report.untitled == 1)

        let index = try await page("index.html")
        #expect(index.contains("130 photos"))
        #expect(index.contains("page 1 of 3"))
        let firstImage = try #require(index.range(of: "photos/p0130"))
        let secondImage = try #require(index.range(of: "photos/p0129"))
        #expect(firstImage.lowerBound < secondImage.lowerBound)
        #expect(!index.contains("photos/p0070\""))  // the 61st newest is on page 2
        #expect(index.contains(#"<img src="photos/p0130" alt="Photo 130" loading="lazy">"#))
        #expect(!index.contains("photos/untitled"))

        let second = try await page("page/2.html")
        #expect(second.contains(#"<img src="../photos/p0070" alt="Photo 70" loading="lazy">"#))
        #expect(second.contains(#"href="../assets/style.css""#))
        let third = try await page("page/3.html")
        #expect(third.contains("photos/p0001"))
        #expect(!third.contains("Add a photo"))

        let photoPage = try await page("photo/p0065.html")
        #expect(photoPage.contains("<h1>Photo 65</h1>"))
        #expect(photoPage.contains(#"href="../photo/p0066.html">← Newer: Photo 66"#))
        #expect(photoPage.contains(#"href="../photo/p0064.html">Older: Photo 64 →"#))

        // Pages before the index, the index last.
        let writes = store.writes
        #expect(writes.last == "index.html")
        let indexPosition = try #require(writes.firstIndex(of: "index.html"))
        #expect(writes.firstIndex(of: "page/2.html")! < indexPosition)
        #expect(writes.filter { $0.hasPrefix("photo/") }.count == 130)
        #expect(!writes.contains { $0.hasPrefix("photos/") })  // generated files live outside photos/
    }

    @Test func aSecondRebuildWritesNothingAndStalePagesAreDeleted() async throws {
        for index in 1...3 { try await addPhoto(index) }
        let generator = try await generator()
        try await generator.rebuild()
        let writesAfterFirst = store.writes.count
        let again = try await generator.rebuild()
        #expect(again.written == 0)
        #expect(store.writes.count == writesAfterFirst)

        try await bucket.delete(key: "photos/p0002")
        let after = try await generator.rebuild()
        #expect(after.deleted == 1)
        #expect(store.deletes == ["photo/p0002.html"])
        #expect(try await bucket.head(key: "photo/p0002.html") == nil)
        #expect(try await page("photo/p0003.html").contains(#"href="../photo/p0001.html""#))
    }

    /// Titles reach the templates as plain text: whatever a tag holds (set outside the service, say) is escaped.
    @Test(arguments: ["index", "photo", "upload"])
    func templatesEscapeEveryString(_ template: String) async throws {
        let theme = try await Theme(directory: Fixtures.site)
        let hostile = #"<img src=x onerror="alert(1)">'&"#
        let photo: [String: Any] = [
            "title": hostile, "imageURL": "photos/x", "pageURL": "photo/x.html", "uploadedAt": hostile,
            "uploadedISO": hostile,
        ]
        let context: [String: Any] = [
            "siteTitle": hostile, "pageTitle": hostile, "root": "", "uploadURL": "http://h/upload", "photos": [photo],
            "hasPhotos": true, "total": 1, "isFirstPage": true, "photo": photo, "newer": photo, "older": photo,
            "title": hostile, "action": "http://h/bucket", "fields": [["name": hostile, "value": hostile]],
            "contentTypes": [["value": hostile, "label": hostile]], "expiresAt": hostile, "galleryURL": "/",
        ]
        let html = try theme.render(template, context)
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains(#"onerror="alert"#))
        #expect(html.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&#39;&amp;"))
    }
}
