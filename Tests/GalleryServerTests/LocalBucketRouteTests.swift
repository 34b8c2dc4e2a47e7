import Foundation
import GalleryKit
import GalleryServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SigV4
import TestSupport
import Testing

struct LocalBucketRouteTests {
    /// A fresh presigned form for `key` (a new photo key when nil), as the service would hand it out.
    static func presigned(_ gallery: TestGallery, key: String? = nil) async throws -> [(String, String)] {
        let upload = try await gallery.gallery.presigner.presign(title: try Title(normalizing: "A cat"))
        guard let key else { return upload.form.post.fields.map { ($0.name, $0.value) } }
        let form = try await gallery.bucket.presignPost(
            key: key,
            fields: [.init("success_action_redirect", gallery.gallery.configuration.uploadedURL)],
            conditions: gallery.gallery.presigner.conditions(), expiresIn: 600, now: Date())
        return form.post.fields.map { ($0.name, $0.value) }
    }

    static func post(
        _ client: some TestClientProtocol, fields: [(String, String)], file: Data?, after: [(String, String)] = []
    ) async throws -> TestResponse {
        let (body, contentType) = Fixtures.multipart(fields: fields, file: file, after: after)
        return try await client.execute(
            uri: "/bucket", method: .post, headers: [.contentType: contentType], body: ByteBuffer(bytes: body))
    }

    @Test func storesAVerifiedUploadAndRedirectsWithBucketKeyAndETag() async throws {
        let gallery = try await TestGallery()
        let fields = try await Self.presigned(gallery)
        let key = fields.first { $0.0 == "key" }!.1
        try await gallery.test { client in
            // An uncovered field after the file is ignored, as S3 ignores it.
            let response = try await Self.post(
                client, fields: fields + [("Content-Type", "image/png")], file: Fixtures.png, after: [("sneaky", "x")])
            #expect(response.status == .seeOther, "\(response.text)")
            #expect(
                response.headers[.location]
                    == "http://127.0.0.1:8080/uploaded?bucket=gallery&key=\(URIEncoding.encode(key))&etag=%222cd8bde463f5d82aae0f0cec061d6b8f%22"
            )
            // Stored, and private: visitors never read an uploader's bytes, nor the photo's record.
            #expect(try await gallery.bucket.read(key: key, range: nil) == Fixtures.png)
            try await gallery.bucket.put(
                key: "records/" + String(key.dropFirst(9)) + ".json", body: Data("{}".utf8),
                contentType: "application/json", cacheControl: nil)
            for path in ["/" + key, "/" + URIEncoding.encode(key), "/records/" + String(key.dropFirst(9)) + ".json"] {
                #expect(try await client.execute(uri: path, method: .get).status == .notFound, "\(path)")
                #expect(try await client.execute(uri: path, method: .head).status == .notFound, "\(path)")
            }
        }
    }

    @Test func refusesBadUploadsWithS3ErrorsAndStoresNothing() async throws {
        let gallery = try await TestGallery(maximumUploadBytes: 1000)
        let fields = try await Self.presigned(gallery) + [("Content-Type", "image/png")]
        let traversal =
            try await Self.presigned(gallery, key: "incoming/../../outside") + [("Content-Type", "image/png")]
        let before = gallery.state
        try await gallery.test { client in
            func expectRefusal(
                _ name: String, _ response: TestResponse, _ status: HTTPResponse.Status, _ code: String
            ) {
                #expect(response.status == status, "\(name): \(response.text)")
                #expect(response.headers[.contentType] == "application/xml", "\(name)")
                #expect(response.text.contains("<Code>\(code)</Code>"), "\(name): \(response.text)")
            }
            var tampered = fields
            tampered[tampered.firstIndex { $0.0 == "x-amz-signature" }!].1 = String(repeating: "0", count: 64)
            expectRefusal(
                "tampered signature", try await Self.post(client, fields: tampered, file: Fixtures.png), .forbidden,
                "SignatureDoesNotMatch")
            expectRefusal(
                "uncovered field",
                try await Self.post(client, fields: fields + [("acl", "public-read")], file: Fixtures.png),
                .forbidden, "AccessDenied")
            var html = fields
            html[html.count - 1].1 = "text/html"
            expectRefusal(
                "content type", try await Self.post(client, fields: html, file: Fixtures.png), .forbidden,
                "AccessDenied")
            expectRefusal(
                "too large", try await Self.post(client, fields: fields, file: Data(count: 1001)), .badRequest,
                "EntityTooLarge")
            expectRefusal(
                "empty file", try await Self.post(client, fields: fields, file: Data()), .badRequest, "EntityTooSmall")
            expectRefusal(
                "no file", try await Self.post(client, fields: fields, file: nil), .badRequest, "InvalidArgument")
            expectRefusal(
                "traversal key", try await Self.post(client, fields: traversal, file: Fixtures.png), .badRequest,
                "InvalidArgument")
            let huge = try await client.execute(
                uri: "/bucket", method: .post, headers: [.contentType: "multipart/form-data; boundary=x"],
                body: ByteBuffer(repeating: 0x41, count: 1000 + 70 * 1024))
            expectRefusal("oversized body", huge, .badRequest, "EntityTooLarge")
            let garbage = try await client.execute(
                uri: "/bucket", method: .post, headers: [.contentType: "multipart/form-data; boundary=xyz"],
                body: ByteBuffer(string: "--xyz\r\nno headers end here --xyz--"))
            #expect(garbage.status == .badRequest)
            let notMultipart = try await client.execute(
                uri: "/bucket", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{}"))
            expectRefusal("not multipart", notMultipart, .badRequest, "MalformedPOSTRequest")
        }
        #expect(gallery.state == before)
    }

    @Test func servesTheBucketLikeAStaticWebsiteAndNothingElse() async throws {
        let gallery = try await TestGallery()
        try await gallery.bucket.put(
            key: "index.html", body: Data("<p>hi</p>".utf8), contentType: "text/html; charset=utf-8",
            cacheControl: "no-cache")
        try await gallery.bucket.put(
            key: "page/index.html", body: Data("two".utf8), contentType: "text/html; charset=utf-8", cacheControl: nil)
        try await gallery.test { client in
            let root = try await client.execute(uri: "/", method: .get)
            #expect(root.status == .ok)
            #expect(root.text == "<p>hi</p>")
            #expect(root.headers[.cacheControl] == "no-cache")
            let etag = try #require(root.headers[.eTag])
            #expect(
                try await client.execute(uri: "/index.html", method: .get, headers: [.ifNoneMatch: etag]).status
                    == .notModified)
            let head = try await client.execute(uri: "/index.html", method: .head)
            #expect(head.status == .ok)
            #expect(head.body.readableBytes == 0)
            #expect(try await client.execute(uri: "/page/", method: .get).text == "two")
            for path in [
                "/missing.html", "/.gallery/credentials.json", "/.gallery/meta/index.html.json",
                "/..%2f..%2fetc%2fpasswd",
                "/photos/../.gallery/credentials.json", "/%2e%2e/%2e%2e/etc/passwd", "/a%00b",
            ] {
                let response = try await client.execute(uri: path, method: .get)
                #expect(response.status == .notFound, "\(path)")
                #expect(!response.text.contains("secretAccessKey"))
            }
        }
    }

    /// Issue 13: the embedded bucket answered no `Range` (always 200, whole) and no
    /// `If-Modified-Since` (always 200), and read and decoded a metadata file on every GET. Now it
    /// answers them as S3 does (206 with Content-Range, 416 past the end, 304), keeps the metadata
    /// in memory while the file is the same, and a rewritten object is served anew at once.
    @Test func staticFilesAnswerRangesAndConditionalRequestsAsS3Does() async throws {
        let gallery = try await TestGallery()
        try await gallery.bucket.put(
            key: "img/t/range.bin", body: Data("0123456789".utf8), contentType: "application/octet-stream",
            cacheControl: nil)
        try await gallery.test { client in
            let whole = try await client.execute(uri: "/img/t/range.bin", method: .get)
            #expect(whole.headers[.acceptRanges] == "bytes")
            let modified = try #require(whole.headers[.lastModified])
            for (range, status, body, contentRange) in [
                ("bytes=2-4", HTTPResponse.Status.partialContent, "234", "bytes 2-4/10"),
                ("bytes=7-", .partialContent, "789", "bytes 7-9/10"),
                ("bytes=-3", .partialContent, "789", "bytes 7-9/10"),
                ("bytes=5-100", .partialContent, "56789", "bytes 5-9/10"),
                ("bytes=20-", .rangeNotSatisfiable, "", "bytes */10"),
                ("bytes=0-1,3-4", .ok, "0123456789", nil), ("items=0-1", .ok, "0123456789", nil),
            ] {
                let response = try await client.execute(uri: "/img/t/range.bin", method: .get, headers: [.range: range])
                #expect(response.status == status, "\(range)")
                #expect(response.text == body, "\(range)")
                #expect(response.headers[.contentRange] == contentRange, "\(range)")
            }
            let notModified = try await client.execute(
                uri: "/img/t/range.bin", method: .get, headers: [.ifModifiedSince: modified])
            #expect(notModified.status == .notModified)
            let earlier = AmzDate(Date(timeIntervalSinceNow: -86_400)).httpDate
            #expect(
                try await client.execute(uri: "/img/t/range.bin", method: .get, headers: [.ifModifiedSince: earlier])
                    .status == .ok)
            try await gallery.bucket.put(
                key: "img/t/range.bin", body: Data("abc".utf8), contentType: "text/plain", cacheControl: nil)
            let rewritten = try await client.execute(uri: "/img/t/range.bin", method: .get)
            #expect(rewritten.text == "abc")
            #expect(rewritten.headers[.contentType] == "text/plain")
            #expect(rewritten.headers[.eTag] != whole.headers[.eTag])
        }
        // A file too large to keep in memory is read from disk, ranges included.
        let large = Data((0..<200_000).map { UInt8($0 % 251) })
        try await gallery.bucket.put(
            key: "img/t/large.bin", body: large, contentType: "application/octet-stream", cacheControl: nil)
        try await gallery.test { client in
            let whole = try await client.execute(uri: "/img/t/large.bin", method: .get)
            #expect(Data(whole.body.readableBytesView) == large)
            let part = try await client.execute(
                uri: "/img/t/large.bin", method: .get, headers: [.range: "bytes=150000-150009"])
            #expect(part.status == .partialContent)
            #expect(Data(part.body.readableBytesView) == large[150_000...150_009])
        }
        #expect(AmzDate(httpDate: "Sun, 06 Nov 1994 08:49:37 GMT")?.date == Date(timeIntervalSince1970: 784_111_777))
        #expect(AmzDate(httpDate: "Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }

    @Test func uploadedConfirmsTagsAndRedirectsToTheRebuiltGallery() async throws {
        var gallery = try await TestGallery()
        gallery.settings.rebuildAtStart = true
        let upload = try await gallery.gallery.presigner.presign(title: try Title(normalizing: "Ελλάδα"))
        let fields = upload.form.post.fields.map { ($0.name, $0.value) } + [("Content-Type", "image/png")]
        try await gallery.test { client in
            let posted = try await Self.post(client, fields: fields, file: Fixtures.png)
            let location = try #require(posted.headers[.location])
            let path = String(location.dropFirst(TestGallery.publicURL.count))
            let landed = try await client.execute(uri: path, method: .get)
            #expect(landed.status == .seeOther, "\(landed.text)")
            #expect(landed.headers[.location] == "http://127.0.0.1:8080/")
            let index = try await client.execute(uri: "/", method: .get).text
            #expect(index.contains(#"alt="Ελλάδα""#))
        }
        #expect(try await gallery.bucket.tags(key: upload.key) == [ObjectTag(key: "Title", value: "Ελλάδα")])
        #expect(try await gallery.queue.job(for: upload.key) == nil)
    }

    @Test func uploadedRefusesWhatItCannotConfirm() async throws {
        let gallery = try await TestGallery()
        try await gallery.bucket.put(
            key: "incoming/evil", body: Fixtures.svg, contentType: "image/svg+xml", cacheControl: nil)
        try await gallery.test { client in
            for (query, status) in [
                ("", HTTPResponse.Status.badRequest), ("?key=", .badRequest),
                ("?bucket=other&key=incoming/x", .badRequest),
                ("?key=index.html", .badRequest), ("?key=incoming/never-uploaded", .notFound),
                ("?key=incoming/a/b", .badRequest), ("?key=incoming%2Fevil&bucket=gallery", .unprocessableContent),
                // Issue 12, item 10: dot segments and backslashes are no upload keys, whatever the store.
                ("?key=incoming/../index.html", .badRequest), ("?key=incoming%2F..%2Findex.html", .badRequest),
                ("?key=incoming/..%5Cindex.html", .badRequest), ("?key=incoming/..", .badRequest),
            ] {
                let response = try await client.execute(uri: "/uploaded" + query, method: .get)
                #expect(response.status == status, "\(query): \(response.text)")
            }
        }
        #expect(try await gallery.bucket.head(key: "incoming/evil") == nil)
    }
}
