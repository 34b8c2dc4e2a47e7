import Foundation
import GalleryKit
import SigV4
import TestSupport
import Testing

struct LocalBucketTests {
    let root: URL
    let bucket: LocalBucket

    init() throws {
        root = try Fixtures.temporaryDirectory()
        bucket = try LocalBucket(root: root, postURL: "http://127.0.0.1:8080/bucket", credentials: nil)
    }

    @Test func putHeadReadDelete() async throws {
        try await bucket.put(key: "photos/a", body: Fixtures.png, contentType: "image/png", cacheControl: "immutable")
        let head = try #require(try await bucket.head(key: "photos/a"))
        #expect(head.size == Fixtures.png.count)
        #expect(head.contentType == "image/png")
        #expect(head.cacheControl == "immutable")
        #expect(head.etag == "\"2cd8bde463f5d82aae0f0cec061d6b8f\"")
        #expect(try await bucket.read(key: "photos/a", range: nil) == Fixtures.png)
        #expect(try await bucket.read(key: "photos/a", range: 1..<4) == Fixtures.png[1..<4])
        try await bucket.delete(key: "photos/a")
        #expect(try await bucket.head(key: "photos/a") == nil)
        #expect(try await bucket.read(key: "photos/a", range: nil) == nil)
        try await bucket.delete(key: "photos/a")  // deleting a missing object succeeds, as in S3
    }

    @Test func tagsAreStoredReplacedAndValidated() async throws {
        try await bucket.put(key: "photos/a", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        #expect(try await bucket.tags(key: "photos/a") == [])
        try await bucket.putTags(
            [ObjectTag(key: "Title", value: "Zürich"), ObjectTag(key: "camera", value: "X100")], key: "photos/a")
        #expect(try await bucket.tags(key: "photos/a").map(\.value) == ["Zürich", "X100"])
        await #expect(throws: ObjectStoreError.self) {
            try await bucket.putTags([ObjectTag(key: "Title", value: "<script>")], key: "photos/a")
        }
        await #expect(throws: ObjectStoreError.self) {
            try await bucket.putTags((0..<11).map { ObjectTag(key: "k\($0)", value: "v") }, key: "photos/a")
        }
        await #expect(throws: ObjectStoreError.noSuchKey("photos/none")) { try await bucket.tags(key: "photos/none") }
        // Overwriting an object clears its tags, as a new S3 object has none.
        try await bucket.put(key: "photos/a", body: Fixtures.png, contentType: "image/png", cacheControl: nil)
        #expect(try await bucket.tags(key: "photos/a") == [])
    }

    @Test(arguments: [
        "../outside", "photos/../../x", "/etc/passwd", "photos//a", "photos/./a", ".gallery/credentials.json", "a\\b",
        "", "photos/",
    ])
    func refusesKeysThatEscapeTheBucket(_ key: String) async throws {
        try await refuses(key)
    }

    /// Issue 12, item 13: on a case-insensitive volume `.GALLERY/credentials.json` is the signing key's
    /// file; reserved names are refused in any case, on every platform.
    @Test(arguments: [".GALLERY/credentials.json", ".Gallery/meta/x.json", "photos/.TMP-1", "a/.Tmp-x"])
    func reservedNamesAreRefusedInAnyCase(_ key: String) async throws {
        try await refuses(key)
        #expect(throws: ObjectStoreError.self) { try LocalBucket.validate(key: key) }
    }

    func refuses(_ key: String) async throws {
        await #expect(throws: ObjectStoreError.self) {
            try await bucket.put(key: key, body: Data("x".utf8), contentType: "text/plain", cacheControl: nil)
        }
        #expect(bucket.fileURL(key: key) == nil)
        #expect(
            !FileManager.default.fileExists(
                atPath: root.deletingLastPathComponent().appendingPathComponent("outside").path))
    }

    @Test func listsInByteOrderPageByPageAndHidesThePrivateFolder() async throws {
        let keys = (0..<25).map { String(format: "photos/%03d", $0) } + ["photos/sub/deep", "photosX", "index.html"]
        for key in keys.shuffled() {
            try await bucket.put(key: key, body: Data(key.utf8), contentType: "text/plain", cacheControl: nil)
        }
        var token: String?
        var pages: [[String]] = []
        repeat {
            let page = try await bucket.list(prefix: "photos/", continuationToken: token, maxKeys: 10)
            pages.append(page.objects.map(\.key))
            token = page.nextContinuationToken
        } while token != nil
        #expect(pages.map(\.count) == [10, 10, 6])
        #expect(pages.flatMap { $0 } == (0..<25).map { String(format: "photos/%03d", $0) } + ["photos/sub/deep"])
        let everything = try await bucket.listAll(prefix: "")
        #expect(everything.count == keys.count)
        #expect(!everything.contains { $0.key.hasPrefix(".gallery") })
        #expect(try await bucket.listAll(prefix: "photosX").map(\.key) == ["photosX"])
    }

    @Test func generatesCredentialsOnceWithPrivateModeAndKeepsThem() throws {
        let path = root.appendingPathComponent(".gallery/credentials.json").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let reopened = try LocalBucket(root: root, postURL: "http://x/bucket", credentials: nil)
        #expect(reopened.credentials == bucket.credentials)
        #expect(bucket.credentials.accessKeyID.hasPrefix("LOCAL"))
        #expect(bucket.credentials.secretAccessKey.count == 40)
        let given = Credentials(accessKeyID: "AKIDGIVEN", secretAccessKey: "given")
        #expect(try LocalBucket(root: root, postURL: "http://x/bucket", credentials: given).credentials == given)
    }

    func signedForm(key: String = "photos/new", maximum: Int = 1000, now: Date) async throws -> [PresignedPost.Field] {
        let form = try await bucket.presignPost(
            key: key, fields: [.init("success_action_redirect", "http://127.0.0.1:8080/uploaded")],
            conditions: [
                .startsWith(field: "Content-Type", prefix: "image/"), .contentLengthRange(1...maximum),
                .equals(field: "success_action_redirect", value: "http://127.0.0.1:8080/uploaded"),
            ], expiresIn: 600, now: now)
        #expect(form.url == "http://127.0.0.1:8080/bucket")
        return form.post.fields + [.init("Content-Type", "image/png")]
    }

    @Test func receivesASignedUploadAndRedirectsLikeS3() async throws {
        let now = Date()
        let fields = try await signedForm(now: now)
        let stored = try await bucket.receive(
            PostForm(fields: fields, fileName: "cat.png", fileSize: Fixtures.png.count), file: Fixtures.png, now: now)
        #expect(stored.key == "photos/new")
        #expect(
            stored.redirect
                == "http://127.0.0.1:8080/uploaded?bucket=gallery&key=photos%2Fnew&etag=%222cd8bde463f5d82aae0f0cec061d6b8f%22"
        )
        #expect(try await bucket.head(key: "photos/new")?.contentType == "image/png")
    }

    @Test func storesNothingWhenVerificationFails() async throws {
        let now = Date()
        let fields = try await signedForm(now: now)
        let before = Fixtures.snapshot(root)
        await #expect(throws: PostUploadError.entityTooLarge(size: 1001, maximum: 1000)) {
            try await bucket.receive(
                PostForm(fields: fields, fileName: "big", fileSize: 1001), file: Data(count: 1001), now: now)
        }
        await #expect(throws: PostUploadError.policyExpired) {
            try await bucket.receive(
                PostForm(fields: fields, fileName: "late", fileSize: 70), file: Fixtures.png, now: now + 601)
        }
        let foreign = LocalBucketTests.resigned(fields, secret: "not-the-bucket's-secret")
        await #expect(throws: PostUploadError.signatureMismatch) {
            try await bucket.receive(
                PostForm(fields: foreign, fileName: "x", fileSize: 70), file: Fixtures.png, now: now)
        }
        #expect(Fixtures.snapshot(root) == before)
    }

    /// The same policy signed with another secret.
    static func resigned(_ fields: [PresignedPost.Field], secret: String) -> [PresignedPost.Field] {
        let policy = fields.first { $0.name == "policy" }!.value
        let date = AmzDate(timestamp: fields.first { $0.name == "x-amz-date" }!.value)!
        let signature = SigningKey(secretAccessKey: secret, scope: CredentialScope(date: date, region: "us-east-1"))
            .signature(for: policy)
        return fields.map { $0.name == "x-amz-signature" ? .init("x-amz-signature", signature) : $0 }
    }
}

extension LocalBucketTests {
    /// Issue 13: every page of a listing walked the whole folder again (a full rebuild of 100,000
    /// local photos read it 100 times over). Now a folder's sorted keys are kept while none of its
    /// folders changed: a listing made from memory still sees every key added or deleted since.
    @Test func aKeptListingSeesEveryChangeToItsFolders() async throws {
        for index in 0..<5 {
            try await bucket.put(key: "records/r\(index)", body: Data(), contentType: "text/plain", cacheControl: nil)
        }
        try await bucket.put(key: "img/a/1.webp", body: Data(), contentType: "image/webp", cacheControl: nil)
        try await Task.sleep(for: .milliseconds(2100))  // quiet folders: their listings are kept
        #expect(try await bucket.listAll(prefix: "records/").map(\.key) == (0..<5).map { "records/r\($0)" })
        #expect(try await bucket.listAll(prefix: "img/").map(\.key) == ["img/a/1.webp"])

        try await bucket.put(key: "records/r5", body: Data(), contentType: "text/plain", cacheControl: nil)
        try await bucket.delete(key: "records/r0")
        try await bucket.put(key: "img/a/2.webp", body: Data(), contentType: "image/webp", cacheControl: nil)
        try await bucket.put(key: "img/b/1.webp", body: Data(), contentType: "image/webp", cacheControl: nil)
        #expect(try await bucket.listAll(prefix: "records/").map(\.key) == (1..<6).map { "records/r\($0)" })
        #expect(
            try await bucket.listAll(prefix: "img/").map(\.key) == ["img/a/1.webp", "img/a/2.webp", "img/b/1.webp"])
        // Pages follow each other through a kept listing as through a fresh one.
        let first = try await bucket.list(prefix: "records/", continuationToken: nil, maxKeys: 2)
        #expect(first.objects.map(\.key) == ["records/r1", "records/r2"])
        let second = try await bucket.list(
            prefix: "records/", continuationToken: first.nextContinuationToken, maxKeys: 2)
        #expect(second.objects.map(\.key) == ["records/r3", "records/r4"])
        let third = try await bucket.list(
            prefix: "records/", continuationToken: second.nextContinuationToken, maxKeys: 2)
        #expect(third.objects.map(\.key) == ["records/r5"])
        #expect(third.nextContinuationToken == nil)
    }
}
