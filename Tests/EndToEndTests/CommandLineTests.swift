import Foundation
import GalleryKit
import TestSupport
import Testing

/// The `gallery` command's other subcommands, run as a user would.
struct CommandLineTests {
    /// Runs `gallery` to completion; returns its exit status and standard output.
    static func run(
        _ arguments: [String], in directory: URL, input: String = "", environment: [String: String] = [:]
    ) async throws -> (Int32, String, String) {
        try await offThePool { try blockingRun(arguments, in: directory, input: input, environment: environment) }
    }

    /// `run` on the calling thread.
    static func blockingRun(
        _ arguments: [String], in directory: URL, input: String, environment: [String: String]
    ) throws -> (Int32, String, String) {
        let child = try GalleryProcess(arguments, logDirectory: directory, environment: environment)
        try child.stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try child.stdin.fileHandleForWriting.close()
        let output = child.stdout.fileHandleForReading.readDataToEndOfFile()
        child.process.waitUntilExit()
        return (child.process.terminationStatus, String(decoding: output, as: UTF8.self), child.log)
    }

    @Test func presignListSweepAndRegenerate() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-cli")
        let common = [
            "--local", directory.appendingPathComponent("bucket").path, "--jobs",
            directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path,
        ]
        let jobsOnly = ["--jobs", directory.appendingPathComponent("jobs").path]

        let (status, output, log) = try await Self.run(
            ["presign", "--title", "Zürich at dusk"] + common, in: directory)
        #expect(status == 0, "\(log)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any])
        let key = try #require(object["key"] as? String)
        #expect(key.hasPrefix("incoming/"))
        #expect((object["fields"] as? [String: String])?["x-amz-signature"]?.count == 64)
        #expect(object["url"] as? String == "http://127.0.0.1:8080/bucket")

        let (listed, listing, _) = try await Self.run(["jobs", "list"] + jobsOnly, in: directory)
        #expect(listed == 0)
        #expect(listing.contains(key))
        #expect(listing.contains("Zürich at dusk"))
        #expect(listing.contains("1 pending job."))

        let (swept, sweeping, _) = try await Self.run(["jobs", "sweep"] + jobsOnly, in: directory)
        #expect(swept == 0)
        #expect(sweeping.hasPrefix("Removed 0 expired jobs"))

        let (rebuilt, rebuilding, rebuildLog) = try await Self.run(["regenerate"] + common, in: directory)
        #expect(rebuilt == 0, "\(rebuildLog)")
        #expect(rebuilding.contains("Rebuilt the gallery: 0 photos"))
        let index = try String(contentsOf: directory.appendingPathComponent("bucket/index.html"), encoding: .utf8)
        #expect(index.contains("No photos yet"))
    }

    @Test func clearErrorsForBadInput() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-cli")
        let local = ["--local", directory.appendingPathComponent("bucket").path, "--jobs", directory.path + "/jobs"]
        let (tooLong, _, tooLongLog) = try await Self.run(
            ["presign", "--title", String(repeating: "a", count: 300)] + local, in: directory)
        #expect(tooLong != 0)
        #expect(tooLongLog.contains("at most 256"))

        let (badPort, _, badPortLog) = try await Self.run(["serve", "--port", "0"] + local, in: directory)
        #expect(badPort != 0)
        #expect(badPortLog.contains("--port must be 1 to 65535"))

        let (noTheme, _, noThemeLog) = try await Self.run(
            ["regenerate", "--site", "/nonexistent"] + local, in: directory)
        #expect(noTheme != 0)
        #expect(noThemeLog.contains("--site"))

        let (badLine, _, badLineLog) = try await Self.run(
            ["jobs", "import", "--jobs", directory.path + "/jobs"], in: directory, input: "not json\n")
        #expect(badLine != 0)
        #expect(badLineLog.contains("line 1"))
    }

    /// libvips missing at run time: the service does not start, and says in one sentence what to install.
    @Test func withoutLibvipsTheServiceSaysWhatToInstall() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-cli")
        let (status, _, log) = try await Self.run(
            [
                "serve", "--port", "\(try Fixtures.freePort())", "--local", directory.path + "/bucket", "--jobs",
                directory.path + "/jobs", "--site", Fixtures.site.path,
            ],
            in: directory, environment: ["GALLERY_LIBVIPS": "/nonexistent/libvips.so.42"])
        #expect(status != 0)
        let lines = log.split(separator: "\n")
        #expect(lines.count == 1, "\(log)")
        #expect(log.hasPrefix("Error: libvips is not available"), "\(log)")
        #expect(log.contains("apt-get install libvips-dev") && log.contains("brew install vips"), "\(log)")
    }

    /// After a change of widths, `regenerate --renditions` makes every published photo's renditions again
    /// from its private original, deletes the old ones, and the pages use the new ones.
    @Test func regenerateRenditionsRemakesEveryPhotoAtNewWidths() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-cli")
        let port = try Fixtures.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GalleryProcess.serveEmbedded(in: directory, port: port)
        let browser = Browser()
        try await browser.waitUntilHealthy(base, server: server)
        let photo = directory.appendingPathComponent("photo.jpg").path
        _ = try PythonPeer.run("photo_tool.py", arguments: ["make", photo, "--width", "1600", "--height", "1200"])
        let (key, landed) = try await browser.upload(
            to: base, title: "Rendered twice", file: try Data(contentsOf: URL(fileURLWithPath: photo)),
            contentType: "image/jpeg")
        #expect(landed.status == 303)
        server.stop()
        let id = String(key.dropFirst("incoming/".count))
        let renditions = directory.appendingPathComponent("bucket/img/\(id)")
        let before = try FileManager.default.contentsOfDirectory(atPath: renditions.path)
        #expect(before.count == 4)  // 320, 640, 1280 and its own 1600

        // An upload an earlier version published as it came, under photos/: moved to incoming/ and rendered.
        let bucket = try LocalBucket(
            root: directory.appendingPathComponent("bucket"), postURL: base + "/bucket", credentials: nil)
        try await bucket.put(
            key: "photos/old-one", body: try Data(contentsOf: URL(fileURLWithPath: photo)), contentType: "image/jpeg",
            cacheControl: "public, max-age=31536000, immutable")
        try await bucket.putTags([ObjectTag(key: "Title", value: "From before")], key: "photos/old-one")

        let (status, output, log) = try await Self.run(
            [
                "regenerate", "--renditions", "--rendition-widths", "200,400", "--local", directory.path + "/bucket",
                "--jobs", directory.path + "/jobs", "--site", Fixtures.site.path,
            ],
            in: directory)
        #expect(status == 0, "\(log)")
        #expect(output.contains("Moved 1 uploads from photos/ to the private incoming/."), "\(output)")
        #expect(output.contains("Made the renditions of 2 photos again."), "\(output)")
        #expect(log.contains("2/2 photos rendered"), "\(log)")
        #expect(try await bucket.head(key: "photos/old-one") == nil)
        #expect(try await bucket.tags(key: "incoming/old-one").first == ObjectTag(key: "Title", value: "From before"))
        let old = try String(
            contentsOf: directory.appendingPathComponent("bucket/photo/old-one.html"), encoding: .utf8)
        #expect(old.contains("<h1>From before</h1>") && old.contains("img/old-one/400-"))
        let after = try FileManager.default.contentsOfDirectory(atPath: renditions.path).sorted()
        #expect(after.count == 2 && after[0].hasPrefix("200-") && after[1].hasPrefix("400-"), "\(after)")
        let page = try String(
            contentsOf: directory.appendingPathComponent("bucket/photo/\(id).html"), encoding: .utf8)
        #expect(page.contains("img/\(id)/\(after[1]) 400w"))
        #expect(!page.contains("1280w"))
    }
}

extension CommandLineTests {
    /// Issue 12, item 15: `gallery regenerate --endpoint http://127.0.0.1:1` took 150 s to fail (five
    /// attempts, each waiting out the HTTP client's 30 s of connection retries, each logged as
    /// "connection reset"). A refused connection or a name that does not resolve now fails within
    /// 5 s, naming the endpoint and the cause.
    @Test(arguments: [
        ("http://127.0.0.1:1", "refused"), ("http://no-such-host.invalid:9000", "resolve"),
    ])
    func aWrongEndpointFailsFastAndSaysWhy(_ endpoint: String, cause: String) async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-endpoint")
        let started = ContinuousClock.now
        let (status, _, log) = try await Self.run(
            [
                "regenerate", "--bucket", "gallery", "--endpoint", endpoint, "--jobs",
                directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path,
            ], in: directory,
            environment: ["AWS_ACCESS_KEY_ID": "AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret"])
        let elapsed = ContinuousClock.now - started
        let lastLine = log.split(separator: "\n").last.map(String.init) ?? ""
        let retries = log.components(separatedBy: "retrying after a transport error").count - 1
        print(
            "regenerate against \(endpoint): exit \(status) after \(elapsed), \(retries + 1) attempts: "
                + lastLine.prefix(200))
        #expect(status != 0)
        // Three attempts 0.3 s apart (about a second alone; the process's start-up aside, under a
        // loaded machine more); before, five attempts of 30 s each.
        #expect(retries == 2, "\(log.suffix(600))")
        #expect(elapsed < .seconds(60))
        #expect(log.contains(endpoint.replacingOccurrences(of: "http://", with: "")), "\(log.suffix(400))")
        #expect(log.lowercased().contains(cause), "\(log.suffix(400))")
    }
}
