import Foundation
import GalleryKit
import GalleryServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

/// The routes the uploader script (`site/assets/uploader.js`) calls: a presign that asks the bucket
/// for a 201 instead of a redirect, the bucket's 201, `/uploaded` answering JSON, and CORS for the
/// gallery's origin when the bucket serves the pages.
struct UploaderRouteTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
    }

    /// What the uploader does: a 201 form for `title`, `file` posted with it, then the JSON
    /// confirmation. Returns the key, the bucket's answer and the confirmation.
    static func uploadAndConfirm(_ client: some TestClientProtocol, title: String, file: Data) async throws -> (
        key: String, stored: TestResponse, confirmed: TestResponse
    ) {
        let presigned = try await client.execute(
            uri: "/upload", method: .post, headers: form,
            body: ByteBuffer(string: "title=\(title)&success_action_status=201"))
        let object = try json(presigned)
        let fields = try #require(object["fields"] as? [String: String])
        let key = try #require(object["key"] as? String)
        let stored = try await LocalBucketRouteTests.post(
            client, fields: fields.map { ($0.key, $0.value) } + [("Content-Type", "image/png")], file: file)
        let confirmed = try await client.execute(
            uri: "/uploaded?key=" + key, method: .get, headers: [.accept: "application/json"])
        return (key, stored, confirmed)
    }

    @Test func aScriptGetsA201FormAndConfirmsTheUploadAsJSON() async throws {
        let gallery = try await TestGallery()
        try await gallery.test { client in
            let presigned = try await client.execute(
                uri: "/upload", method: .post, headers: Self.form,
                body: ByteBuffer(string: "title=Harbour&success_action_status=201"))
            #expect(presigned.status == .created, "\(presigned.text)")
            let object = try Self.json(presigned)
            let fields = try #require(object["fields"] as? [String: String])
            let key = try #require(object["key"] as? String)
            // The policy pins the 201 instead of the redirect: no redirect field, no redirect condition.
            #expect(fields["success_action_status"] == "201")
            #expect(fields["success_action_redirect"] == nil)
            let policy = String(decoding: Data(base64Encoded: fields["policy"]!)!, as: UTF8.self)
            #expect(policy.contains(#"{"success_action_status": "201"}"#), "\(policy)")
            #expect(!policy.contains("success_action_redirect"), "\(policy)")

            // The bucket answers 201 with what it stored, as S3 does.
            let stored = try await LocalBucketRouteTests.post(
                client, fields: fields.map { ($0.key, $0.value) } + [("Content-Type", "image/png")], file: Fixtures.png)
            #expect(stored.status == .created, "\(stored.text)")
            #expect(stored.text.contains("<Key>\(key)</Key>"), "\(stored.text)")
            #expect(stored.headers[.location] == nil)

            // The script confirms: published, with the photo's page, which is there.
            let confirmed = try await client.execute(
                uri: "/uploaded?key=" + key.replacingOccurrences(of: "/", with: "%2F"), method: .get,
                headers: [.accept: "application/json"])
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            let answer = try Self.json(confirmed)
            #expect(answer["status"] as? String == "published")
            #expect(answer["title"] as? String == "Harbour")
            let photoURL = try #require(answer["photoURL"] as? String)
            let id = String(key.dropFirst("incoming/".count))
            #expect(photoURL == TestGallery.publicURL + "/photo/\(id).html")
            let page = try await client.execute(uri: "/photo/\(id).html", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("Harbour"))
        }
    }

    @Test func theRulesAreAskedForWithAGet() async throws {
        let gallery = try await TestGallery(maximumUploadBytes: 3 * 512 * 1024)
        try await gallery.test { client in
            let response = try await client.execute(uri: "/upload", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json")
            let rules = try Self.json(response)
            #expect(rules["maximumBytes"] as? Int == 3 * 512 * 1024)
            #expect(rules["maximumMegabytes"] as? String == "1.5")
            #expect(rules["maximumTitleLength"] as? Int == 256)
            let accept = try #require(rules["accept"] as? [String])
            #expect(accept.starts(with: ["image/jpeg", "image/png", "image/webp", "image/gif"]), "\(accept)")
            #expect((rules["formats"] as? String)?.hasPrefix("JPEG, PNG, WebP") == true)
        }
    }

    @Test func aPageCannotAskForA201Form() async throws {
        let gallery = try await TestGallery()
        let before = gallery.state
        try await gallery.test { client in
            let response = try await client.execute(
                uri: "/upload", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "title=Harbour&success_action_status=201"))
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(response.text.contains("A 201 form is for scripts"))
        }
        #expect(gallery.state == before)
    }

    @Test func aFormSignedForTheRedirectCannotBeTurnedIntoA201() async throws {
        let gallery = try await TestGallery()
        let fields = try await LocalBucketRouteTests.presigned(gallery)
        let before = gallery.state
        try await gallery.test { client in
            let response = try await LocalBucketRouteTests.post(
                client, fields: fields + [("success_action_status", "201"), ("Content-Type", "image/png")],
                file: Fixtures.png)
            #expect(response.status == .forbidden, "\(response.text)")
        }
        #expect(gallery.state == before)
    }

    @Test(arguments: [
        "success_action_status=200", "success_action_status=303", "success_action_status=",
        "success_action_status=201&success_action_status=201",
    ])
    func onlyA201IsOffered(_ extra: String) async throws {
        let gallery = try await TestGallery()
        let before = gallery.state
        try await gallery.test { client in
            let response = try await client.execute(
                uri: "/upload", method: .post, headers: Self.form, body: ByteBuffer(string: "title=Harbour&" + extra))
            #expect(response.status == .badRequest, "\(response.text)")
            #expect(
                try Self.json(response)["error"] as? String
                    == "'success_action_status' may only be 201 (the bucket then answers 201).")
        }
        #expect(gallery.state == before)
    }

    @Test func aRefusedUploadIsToldAsJSON() async throws {
        let gallery = try await TestGallery()
        try await gallery.test { client in
            let (_, stored, confirmed) = try await Self.uploadAndConfirm(
                client, title: "Not+a+photo", file: Data("plain text, not an image".utf8))
            #expect(stored.status == .created)
            #expect(confirmed.status == .unprocessableContent, "\(confirmed.text)")
            #expect((try Self.json(confirmed)["error"] as? String)?.hasPrefix("Your upload was not published") == true)
        }
    }

    @Test func anUploadHeldForReviewIsToldAsJSON() async throws {
        let gallery = try await TestGallery(review: true)
        try await gallery.test { client in
            let (_, _, confirmed) = try await Self.uploadAndConfirm(client, title: "Held", file: Fixtures.png)
            #expect(confirmed.status == .accepted, "\(confirmed.text)")
            let answer = try Self.json(confirmed)
            #expect(answer["status"] as? String == "review")
            #expect(answer["title"] as? String == "Held")
            #expect(answer["photoURL"] == nil)
            #expect((answer["message"] as? String)?.contains("once they are approved") == true)
        }
    }

    @Test func corsAnswersOnlyTheGallerysOriginOnlyOnTheUploadersRoutes() async throws {
        let website = "http://127.0.0.1:9000"
        let gallery = try await TestGallery(galleryURL: website + "/gallery")
        try await gallery.test { client in
            let preflight = try await client.execute(
                uri: "/upload", method: .options,
                headers: [.origin: website, .accessControlRequestMethod: "POST"])
            #expect(preflight.headers[.accessControlAllowOrigin] == website)
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)
            var headers = Self.form
            headers[.origin] = website
            let presigned = try await client.execute(
                uri: "/upload", method: .post, headers: headers,
                body: ByteBuffer(string: "title=Harbour&success_action_status=201"))
            #expect(presigned.status == .created)
            #expect(presigned.headers[.accessControlAllowOrigin] == website)
            // The page may read how long a 429 or 503 asks it to wait.
            #expect(presigned.headers[.accessControlExposeHeaders] == "Retry-After")
            let rules = try await client.execute(uri: "/upload", method: .get, headers: [.origin: website])
            #expect(rules.headers[.accessControlAllowOrigin] == website)
            // A refusal carries the header too, so the page can read why.
            let refused = try await client.execute(
                uri: "/upload", method: .post, headers: headers, body: ByteBuffer(string: "nothing=here"))
            #expect(refused.status == .badRequest)
            #expect(refused.headers[.accessControlAllowOrigin] == website)
            let confirm = try await client.execute(
                uri: "/uploaded?key=incoming/missing", method: .get,
                headers: [.origin: website, .accept: "application/json"])
            #expect(confirm.headers[.accessControlAllowOrigin] == website)

            // Another origin gets nothing; nor does the gallery's origin on other routes.
            headers[.origin] = "http://127.0.0.1:9001"
            let other = try await client.execute(
                uri: "/upload", method: .post, headers: headers, body: ByteBuffer(string: "title=Harbour"))
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let health = try await client.execute(uri: "/healthz", method: .get, headers: [.origin: website])
            #expect(health.headers[.accessControlAllowOrigin] == nil)
        }
        // When the service serves the pages itself, no CORS at all.
        let sameOrigin = try await TestGallery()
        try await sameOrigin.test { client in
            let response = try await client.execute(
                uri: "/upload", method: .post, headers: Self.form.merging([.origin: TestGallery.publicURL]),
                body: ByteBuffer(string: "title=Harbour"))
            #expect(response.status == .created)
            #expect(response.headers[.accessControlAllowOrigin] == nil)
        }
    }
}

extension HTTPFields {
    fileprivate func merging(_ other: HTTPFields) -> HTTPFields {
        var merged = self
        for field in other { merged[field.name] = field.value }
        return merged
    }
}
