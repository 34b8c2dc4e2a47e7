import Foundation
import TestSupport
import Testing

/// The photo pipeline over real HTTP: `gallery serve` as its own process, uploads through the real
/// flow, every public byte judged by an independent parser (`Tests/Peers/photo_tool.py`, Pillow).
struct PhotoPrivacyTests {
    let directory: URL
    let base: String
    let server: GalleryProcess
    let browser = Browser()

    init() throws {
        directory = try Fixtures.temporaryDirectory("gallery-privacy")
        let port = try Fixtures.freePort()
        base = "http://127.0.0.1:\(port)"
        server = try GalleryProcess.serveEmbedded(in: directory, port: port, ["--max-upload-bytes", "8000000"])
    }

    /// `photo_tool.py` off the concurrency pool (which the service's client needs).
    @discardableResult
    func peer(_ arguments: [String]) async throws -> Data {
        try await offThePool { try PythonPeer.run("photo_tool.py", arguments: arguments) }
    }

    func makePhoto(_ name: String, _ arguments: [String]) async throws -> Data {
        let path = directory.appendingPathComponent(name).path
        try await peer(["make", path] + arguments)
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Every public object (the bucket's files, as visitors read them over HTTP), inspected.
    func inspectEveryPublicImage() async throws -> [[String: Any]] {
        let bucket = directory.appendingPathComponent("bucket")
        let files = FileManager.default.enumerator(atPath: bucket.path)!.compactMap { $0 as? String }
            .filter { key in
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(
                    atPath: bucket.appendingPathComponent(key).path, isDirectory: &isDirectory)
                return key.hasPrefix("img/") && !isDirectory.boolValue
            }
        var paths: [String] = []
        for (index, key) in files.enumerated() {
            let answer = try await browser.send(base + "/" + key)
            #expect(answer.status == 200, "\(key)")
            let path = directory.appendingPathComponent("public-\(index)").path
            try answer.body.write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        guard !paths.isEmpty else { return [] }
        return try await peer(["inspect"] + paths).split(separator: UInt8(ascii: "\n")).map {
            try #require(try JSONSerialization.jsonObject(with: Data($0)) as? [String: Any])
        }
    }

    /// A phone photo with a GPS position, a camera serial, an owner and orientation 6: no public object
    /// carries any of it, the shown rendition is portrait, the date taken is on the photo page.
    @Test func aPhoneUploadLeaksNothingAndIsShownUpright() async throws {
        defer { server.stop() }
        try await browser.waitUntilHealthy(base, server: server)
        let jpeg = try await makePhoto(
            "phone.jpg",
            [
                "--width", "4000", "--height", "3000", "--gps", "--serial", "SN-0042", "--orientation", "6",
                "--taken", "2024:06:01 10:20:30",
            ])
        let (key, landed) = try await browser.upload(
            to: base, title: "On the pier", file: jpeg, contentType: "image/jpeg")
        #expect(landed.status == 303, "\(landed.text)")
        let id = String(key.dropFirst("incoming/".count))

        #expect(try await browser.send(base + "/" + key).status == 404)
        let reports = try await inspectEveryPublicImage()
        #expect(reports.count == 4)
        for report in reports {
            #expect(report["format"] as? String == "WEBP", "\(report)")
            #expect(report["gps"] as? Bool == false, "\(report)")
            #expect(report["exif_tags"] as? [String] == [], "\(report)")
            #expect(report["leaks"] as? [String] == [], "\(report)")
            #expect(report["riff_chunks"] as? [String] == ["VP8 "], "\(report)")
            #expect((report["height"] as? Int ?? 0) > (report["width"] as? Int ?? 0), "not upright: \(report)")
        }
        let page = try await browser.send(base + "/photo/\(id).html").text
        #expect(page.contains(#"width="1500" height="2000""#))
        #expect(page.contains(#"Taken <time datetime="2024-06-01T10:20:30">2024-06-01 10:20</time>"#))
        for file in ["/index.html", "/photo/\(id).html", "/gallery.json", "/feed.atom", "/feed.json"] {
            let text = try await browser.send(base + file).text
            for secret in ["Gallerycam", "GC-1", "SN-0042", "Ada Uploader", "47.37", "8.54"] {
                #expect(!text.contains(secret), "\(file) carries \(secret)")
            }
        }
        let entries = try #require(try await browser.manifestEntries(site: base))
        let parts = String(decoding: try JSONSerialization.data(withJSONObject: entries), as: UTF8.self)
        for secret in ["Gallerycam", "GC-1", "SN-0042", "Ada Uploader", "47.37", "8.54"] {
            #expect(!parts.contains(secret), "the manifest's parts carry \(secret)")
        }
        let entry = try #require(entries.first)
        #expect(entry["width"] as? Int == 1500 && entry["height"] as? Int == 2000)
        #expect((entry["renditions"] as? [[String: Any]])?.map { $0["width"] as? Int } == [320, 640, 1280, 1500])
        #expect(entry["takenAt"] as? String == "2024-06-01T10:20:30")
    }

    /// Not an image, a truncated JPEG, a 30,000 × 30,000 PNG of 100 KB, an HTML page behind a PNG
    /// signature sent as `image/png;,text/html`: each refused, logged, counted, never public, and the
    /// service goes on serving.
    @Test func badUploadsAreRefusedCountedAndNeverPublic() async throws {
        defer { server.stop() }
        try await browser.waitUntilHealthy(base, server: server)
        let jpeg = try await makePhoto("cut.jpg", ["--width", "1600", "--height", "1200"])
        let bombPath = directory.appendingPathComponent("bomb.png").path
        try await peer(["bomb", bombPath])
        let cases: [(String, Data, String)] = [
            ("not an image", Data("just some text, labelled as a photo".utf8), "image/jpeg"),
            ("truncated", jpeg.prefix(jpeg.count / 2), "image/jpeg"),
            ("bomb", try Data(contentsOf: URL(fileURLWithPath: bombPath)), "image/png"),
            ("html", Fixtures.pngHeadedHTML, "image/png;,text/html"),
        ]
        var keys: [String] = []
        for (name, file, type) in cases {
            let (key, landed) = try await browser.upload(to: base, title: name, file: file, contentType: type)
            keys.append(key)
            #expect(landed.status == 422, "\(name): \(landed.status) \(landed.text)")
            #expect(landed.text.contains("was not published"), "\(name)")
            #expect(try await browser.send(base + "/" + key).status == 404, "\(name)")
            #expect(try await browser.send(base + "/healthz").status == 200, "after \(name)")
        }
        #expect(try await inspectEveryPublicImage().isEmpty)
        let bucket = directory.appendingPathComponent("bucket")
        for key in keys {
            #expect(!FileManager.default.fileExists(atPath: bucket.appendingPathComponent(key).path), "\(key) kept")
            #expect(server.log.contains("rejected an upload"), "not logged")
            #expect(server.log.contains(key), "\(key) not logged")
        }
        let metrics = try await browser.send(base + "/metrics").text
        #expect(metrics.contains(#"gallery_uploads_processed_total{outcome="rejected"} 4"#), "\(metrics)")
        #expect(try await browser.send(base + "/index.html").text.contains("No photos yet"))

        // And a real photo still goes through.
        let good = try await makePhoto("good.png", ["--width", "800", "--height", "600", "--format", "png"])
        let (_, landed) = try await browser.upload(
            to: base, title: "Still working", file: good, contentType: "image/png")
        #expect(landed.status == 303)
        #expect(try await browser.send(base + "/index.html").text.contains(#"alt="Still working""#))
    }
}
