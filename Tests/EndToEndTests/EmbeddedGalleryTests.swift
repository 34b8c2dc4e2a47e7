import AsyncHTTPClient
import Foundation
import GalleryKit
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The whole flow over real HTTP on 127.0.0.1: `gallery serve` runs as its own process; the test is the browser.
struct EmbeddedGalleryTests {
    @Test func aVisitorUploadsThreePhotosAndFindsThemUnderTheirTitles() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-e2e")
        let port = try Fixtures.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GalleryProcess.serveEmbedded(in: directory, port: port)
        defer { server.stop() }
        let browser = Browser()

        // Wait (bounded) for the service to come up.
        var healthy = false
        for _ in 0..<150 where !healthy {
            healthy = (try? await browser.send(base + "/healthz"))?.status == 200
            if !healthy { try await Task.sleep(for: .milliseconds(100)) }
            #expect(server.process.isRunning, "gallery serve exited: \(server.log)")
            if !server.process.isRunning { break }
        }
        try #require(healthy, "the service did not answer on \(base): \(server.log)")

        let titles = [
            ("Sunset over the harbour", "Sunset over the harbour"),
            ("  Zürich   東京 Ελλάδα ", "Zürich 東京 Ελλάδα"),
            (#"<script>alert('pwned')</script> & "friends""#, "scriptalertpwned/script friends"),
        ]
        var keys: [String: String] = [:]
        for (index, (typed, expected)) in titles.enumerated() {
            // The first two go through the HTML upload page, as a browser would; the last asks for JSON.
            let asJSON = index == 2
            var headers = [("Content-Type", "application/x-www-form-urlencoded")]
            if asJSON { headers.append(("Accept", "application/json")) }
            let presigned = try await browser.send(
                base + "/upload", method: .POST, headers: headers,
                body: Data(("title=" + Browser.formEncode(typed)).utf8))
            #expect(presigned.status == 201, "\(presigned.text)")

            let action: String
            var fields: [(String, String)]
            if asJSON {
                let object = try #require(try JSONSerialization.jsonObject(with: presigned.body) as? [String: Any])
                action = try #require(object["url"] as? String)
                fields = try #require(object["fields"] as? [String: String]).map { ($0.key, $0.value) }
                #expect(object["title"] as? String == expected)
            } else {
                #expect(presigned.text.contains("Choose the photo for “\(Browser.escape(expected))”"))
                let actionMatch = try #require(
                    presigned.text.range(of: #"action="[^"]*""#, options: .regularExpression))
                action = String(presigned.text[actionMatch].dropFirst(8).dropLast())
                fields = Browser.hiddenFields(presigned.text)
            }
            #expect(action == base + "/bucket")
            let key = try #require(fields.first { $0.0 == "key" }?.1)
            keys[expected] = key
            fields.append(("Content-Type", "image/png"))

            let (body, contentType) = Fixtures.multipart(fields: fields, file: Fixtures.png)
            let uploaded = try await browser.send(
                action, method: .POST, headers: [("Content-Type", contentType)], body: body)
            #expect(uploaded.status == 303, "\(uploaded.text)")
            let location = try #require(uploaded.headers.first(name: "Location"))
            #expect(location.hasPrefix(base + "/uploaded?bucket=gallery&key="))
            #expect(location.contains("&etag=%22"))

            let landed = try await browser.send(location)
            #expect(landed.status == 303, "\(landed.text)")
            #expect(landed.headers.first(name: "Location") == base + "/")
        }

        let index = try await browser.send(base + "/")
        #expect(index.status == 200)
        #expect(index.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        #expect(!index.text.contains("<script>alert"))
        #expect(index.text.contains("3 photos"))
        for (_, expected) in titles {
            let key = try #require(keys[expected])
            let id = String(key.dropFirst("incoming/".count))
            #expect(index.text.contains(#"width="1" height="1" alt="\#(Browser.escape(expected))""#), "\(expected)")
            let page = try await browser.send(base + "/photo/\(id).html")
            #expect(page.status == 200)
            #expect(page.text.contains("<h1>\(Browser.escape(expected))</h1>"))
            // The upload itself stays private; what is shown is the service's own WebP.
            #expect(try await browser.send(base + "/" + key).status == 404)
            let rendition = try #require(
                page.text.range(of: #"img/\#(id)/1-[0-9a-f]{10}\.webp"#, options: .regularExpression))
            let photo = try await browser.send(base + "/" + page.text[rendition])
            #expect(photo.status == 200)
            #expect(photo.headers.first(name: "Content-Type") == "image/webp")
            #expect(photo.headers.first(name: "Cache-Control") == "public, max-age=31536000, immutable")
            #expect(photo.headers.first(name: "X-Content-Type-Options") == "nosniff")
        }
        // Newest first.
        let positions = titles.map { index.text.range(of: "img/" + keys[$0.1]!.dropFirst(9))!.lowerBound }
        #expect(positions[2] < positions[1] && positions[1] < positions[0])

        let jobs = try FileJobQueue(directory: directory.appendingPathComponent("jobs"))
        #expect(try await jobs.count() == 0, "every job was processed and removed")
        server.stop()
        #expect(server.process.terminationStatus == 0, "graceful shutdown on SIGTERM: \(server.log)")
    }
}
