import Foundation
import GalleryKit
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import TestSupport
import Testing

struct PresignRouteTests {
    static let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func answersWithTheSignedUploadPageAndQueuesTheTitle() async throws {
        let gallery = try await TestGallery()
        try await gallery.test { client in
            let response = try await client.execute(
                uri: "/upload", method: .post, headers: Self.form,
                body: ByteBuffer(string: "title=Z%C3%BCrich+%3Cb%3Enight%3C%2Fb%3E"))
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let html = response.text
            #expect(
                html.contains(
                    #"<form id="upload-form" action="http://127.0.0.1:8080/bucket" method="post" enctype="multipart/form-data">"#
                ))
            for field in [
                "key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature",
                "success_action_redirect",
            ] {
                #expect(html.contains(#"<input type="hidden" name="\#(field)" value=""#), "missing \(field)")
            }
            // The formats libvips decodes here, named in the chooser and the text (HEIC/AVIF where built in).
            #expect(
                html.contains(
                    #"<input id="file" name="file" type="file" accept="image/jpeg,image/png,image/webp,image/gif"#))
            #expect(html.contains("<p>JPEG, PNG, WebP, GIF"))
            #expect(html.contains(#"<select id="content-type" name="Content-Type">"#))
            #expect(html.contains(#"<script src="http://127.0.0.1:8080/assets/upload.js"></script>"#))
            #expect(!html.contains("<script>"))  // no inline script: the policy allows none
            let policy = try #require(response.headers[.contentSecurityPolicy])
            #expect(policy.contains("default-src 'none'"))
            #expect(policy.contains("script-src http://127.0.0.1:8080/assets/upload.js;"))
            #expect(policy.contains("form-action http://127.0.0.1:8080;"))
            #expect(policy.hasSuffix("; frame-ancestors 'none'"))  // header only: ignored in <meta>
            #expect(!html.contains("frame-ancestors"))
            #expect(html.contains(#"<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;"#))
            // The file input comes after every signed field: S3 ignores fields after the file.
            #expect(
                html.range(of: #"name="file""#)!.lowerBound > html.range(of: #"name="x-amz-signature""#)!.lowerBound)
            #expect(html.contains("Zürich bnight/b"))
        }
        let jobs = try await gallery.queue.pending()
        #expect(jobs.map(\.title.text) == ["Zürich bnight/b"])
        #expect(jobs[0].key.hasPrefix("incoming/"))
        // The job outlives the policy by the grace period (the policy's expiry is in whole seconds).
        #expect((599 + 900...600 + 900).contains(jobs[0].expiresAt.timeIntervalSince(jobs[0].createdAt)))
    }

    @Test func answersJSONInBotocoresShape() async throws {
        let gallery = try await TestGallery()
        let headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"]
        let object = try await gallery.test { client in
            let response = try await client.execute(
                uri: "/upload", method: .post, headers: headers, body: ByteBuffer(string: "title=Hello"))
            #expect(response.status == .created)
            #expect(response.headers[.contentType] == "application/json")
            return try #require(
                try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
        }
        #expect(object["url"] as? String == "http://127.0.0.1:8080/bucket")
        let fields = try #require(object["fields"] as? [String: String])
        let key = try #require(object["key"] as? String)
        #expect(fields["key"] == key)
        #expect(fields["success_action_redirect"] == "http://127.0.0.1:8080/uploaded")
        #expect(
            Set(fields.keys) == [
                "key", "policy", "x-amz-algorithm", "x-amz-credential", "x-amz-date", "x-amz-signature",
                "success_action_redirect",
            ])
        #expect((object["expiresAt"] as? String)?.hasSuffix("Z") == true)
        // The policy pins bucket, exact key, exact redirect, image types, a size range.
        let policy = String(decoding: Data(base64Encoded: fields["policy"]!)!, as: UTF8.self)
        for condition in [
            #"{"bucket": "gallery"}"#, #"{"key": "\#(key)"}"#,
            #"{"success_action_redirect": "http://127.0.0.1:8080/uploaded"}"#,
            #"["starts-with", "$Content-Type", "image/"]"#, #"["content-length-range", 1, 1048576]"#,
        ] {
            #expect(policy.contains(condition), "policy lacks \(condition)")
        }
    }

    @Test func badTitleFormsGetA4xxAndChangeNothing() async throws {
        let gallery = try await TestGallery()
        let before = gallery.state
        try await gallery.test { client in
            let cases: [(String, HTTPFields, String, HTTPResponse.Status)] = [
                ("missing title", Self.form, "name=x", .badRequest),
                ("two titles", Self.form, "title=a&title=b", .badRequest),
                ("oversized title", Self.form, "title=" + String(repeating: "a", count: 257), .badRequest),
                ("oversized body", Self.form, "title=" + String(repeating: "a", count: 9000), .contentTooLarge),
                ("JSON body", [.contentType: "application/json"], #"{"title":"x"}"#, .unsupportedMediaType),
                ("no content type", [:], "title=x", .unsupportedMediaType),
                ("bad escape", Self.form, "title=%E0%A4%A", .badRequest),
                ("not UTF-8", Self.form, "title=%FF%FE", .badRequest),
            ]
            for (name, headers, body, status) in cases {
                let response = try await client.execute(
                    uri: "/upload", method: .post, headers: headers, body: ByteBuffer(string: body))
                #expect(response.status == status, "\(name): \(response.text)")
                #expect(!response.text.isEmpty, "\(name) says nothing")
            }
            let json = try await client.execute(
                uri: "/upload", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .accept: "application/json"],
                body: ByteBuffer(string: "nothing=here"))
            #expect(json.text == #"{"error":"The form needs a field named 'title'."}"#)
        }
        #expect(gallery.state == before)
    }

    @Test func healthAndSecurityHeaders() async throws {
        let gallery = try await TestGallery()
        try await gallery.test { client in
            let response = try await client.execute(uri: "/healthz", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.xContentTypeOptions] == "nosniff")
            #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
        }
    }
}
