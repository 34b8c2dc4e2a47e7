import AsyncHTTPClient
import Foundation
import GalleryKit
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// Faults around real S3 (moto): an outage between the service and the store, and two service
/// instances sharing one `jobs/` folder.
@Suite(.enabled(if: MotoServer.shouldRun, "moto is not installed (run .ci/test)"))
struct S3FaultTests {
    static let bucket = "gallery-faults"

    /// moto with the bucket set up (website, policy, CORS) by `gallery setup`.
    static func motoWithBucket(_ directory: URL) async throws -> MotoServer {
        let moto = try await MotoServer()
        let setup = try GalleryProcess(
            ["setup", "--bucket", bucket, "--endpoint", moto.endpoint, "--site", Fixtures.site.path],
            logDirectory: directory, environment: S3GalleryTests.environment)
        setup.process.waitUntilExit()
        #expect(setup.process.terminationStatus == 0, "setup failed: \(setup.log)")
        return moto
    }

    /// `gallery serve` against `endpoint`, polling every second, with the shared `jobs/` of `directory`.
    static func serve(_ directory: URL, endpoint: String, browser: Browser) async throws -> (GalleryProcess, String) {
        let port = try Fixtures.freePort()
        let server = try GalleryProcess(
            [
                "serve", "--bucket", bucket, "--endpoint", endpoint, "--port", "\(port)", "--jobs",
                directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path, "--poll-interval", "1",
                "--rate-limit", "0", "--max-pending-per-client", "0", "--log-level", "warning",
            ], logDirectory: directory, environment: S3GalleryTests.environment)
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<150 {
            if (try? await browser.send(base + "/healthz"))?.status == 200 { return (server, base) }
            try #require(server.process.isRunning, "gallery serve exited: \(server.log)")
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("gallery serve did not come up: \(server.log)")
        return (server, base)
    }

    /// Presigns `title` at `service` and posts a PNG to the bucket without following the redirect
    /// (the visitor closed the tab): only the poller can title it.
    /// `bucketURL` replaces the form's URL when the service reaches S3 through a proxy the visitor does not use.
    static func upload(_ title: String, service: String, bucketURL: String? = nil, browser: Browser) async throws
        -> String
    {
        let presigned = try await browser.send(
            service + "/upload", method: .POST,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(("title=" + Browser.formEncode(title)).utf8))
        #expect(presigned.status == 201, "\(presigned.text)")
        let object = try #require(try JSONSerialization.jsonObject(with: presigned.body) as? [String: Any])
        let fields = try #require(object["fields"] as? [String: String])
        let (body, contentType) = Fixtures.multipart(
            fields: fields.map { ($0.key, $0.value) }.sorted { $0.0 < $1.0 } + [("Content-Type", "image/png")],
            file: Fixtures.png)
        let posted = try await browser.send(
            try bucketURL ?? #require(object["url"] as? String), method: .POST,
            headers: [("Content-Type", contentType)],
            body: body)
        #expect(posted.status == 303, "the bucket refused the upload: \(posted.text)")
        return try #require(object["key"] as? String)
    }

    /// Every object's Title tag, read from moto directly.
    static func titles(_ keys: [String], moto: MotoServer, browser: Browser) async throws -> [String: String] {
        try await S3GalleryTests.titles(of: keys, endpoint: moto.endpoint, bucket: bucket)
    }

    /// Waits (bounded) until every key carries a Title tag.
    static func waitForTitles(_ keys: [String], moto: MotoServer, browser: Browser, seconds: Int) async throws
        -> [String: String]
    {
        var found: [String: String] = [:]
        for _ in 0..<(seconds * 4) {
            found = try await titles(keys, moto: moto, browser: browser)
            if found.count == keys.count { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        return found
    }

    static func setProxy(_ proxy: PeerServer, _ path: String, _ body: String, browser: Browser) async throws {
        _ = try await browser.send(proxy.url + path, method: .POST, body: Data(body.utf8))
    }

    /// S3 is unreachable for a while: presigning keeps working; uploads from before and during the outage are
    /// tagged with their own titles and shown once it is over; nothing is lost.
    @Test func anOutageLosesNothingAndPresigningKeepsWorking() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-outage")
        let moto = try await Self.motoWithBucket(directory)
        let proxy = try await PeerServer("fault_proxy.py", arguments: ["--target", moto.endpoint, "--slow", "1"])
        defer { proxy.stop() }
        let browser = Browser()
        // The service reaches S3 only through the proxy; visitors upload to S3 directly.
        let (server, service) = try await Self.serve(directory, endpoint: proxy.url, browser: browser)
        defer { server.stop() }
        let direct = moto.endpoint + "/" + Self.bucket

        var expected: [String: String] = [:]
        for index in 0..<3 {
            let title = "Before the outage \(index)"
            expected[try await Self.upload(title, service: service, bucketURL: direct, browser: browser)] = title
        }
        try await Self.setProxy(proxy, "/__outage", "on", browser: browser)
        var presignedDuringOutage = 0
        for index in 0..<5 {
            let title = "During the outage \(index)"
            expected[try await Self.upload(title, service: service, bucketURL: direct, browser: browser)] = title
            presignedDuringOutage += 1
        }
        try await Task.sleep(for: .seconds(4))
        // Still down: nothing new can have been tagged through the proxy, and the service still answers.
        #expect(try await browser.send(service + "/healthz").status == 200)
        try await Self.setProxy(proxy, "/__outage", "off", browser: browser)

        let titles = try await Self.waitForTitles(Array(expected.keys), moto: moto, browser: browser, seconds: 60)
        #expect(titles == expected, "tagged \(titles.count) of \(expected.count): \(server.log)")
        // Shown: the index in the bucket lists every title (the rebuild retried after the outage).
        var index = ""
        for _ in 0..<120 {
            index = try await browser.send(moto.endpoint + "/" + Self.bucket + "/index.html").text
            if expected.values.allSatisfy({ index.contains(#"alt="\#($0)""#) }) { break }
            try await Task.sleep(for: .milliseconds(250))
        }
        let shown = expected.values.filter { index.contains(#"alt="\#($0)""#) }.count
        #expect(shown == expected.count, "\(server.log)")
        let pending = try await FileJobQueue(directory: directory.appendingPathComponent("jobs")).pending()
        #expect(pending.isEmpty)
        let stats = try JSONSerialization.jsonObject(with: try await browser.send(proxy.url + "/__stats").body)
        let injected = (stats as? [String: Any])?["injected"] as? Int ?? 0
        #expect(injected > 0, "the outage never met a request")
        print(
            "outage test: \(injected) S3 requests failed during the outage (503/500/reset/slow), presigns during it: "
                + "\(presignedDuringOutage)/5, uploads tagged with their own title: \(titles.count)/\(expected.count), "
                + "shown: \(shown)/\(expected.count), jobs lost: \(expected.count - titles.count)")
    }

    /// Two instances share one `jobs/` folder and both poll it: every upload is tagged once, with its title.
    @Test func twoInstancesSharingJobsNeitherLoseNorDoubleProcess() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-two")
        let moto = try await Self.motoWithBucket(directory)
        let browser = Browser()
        let (first, firstURL) = try await Self.serve(directory, endpoint: moto.endpoint, browser: browser)
        defer { first.stop() }
        let (second, secondURL) = try await Self.serve(directory, endpoint: moto.endpoint, browser: browser)
        defer { second.stop() }

        var expected: [String: String] = [:]
        for index in 0..<20 {
            let title = "Shared queue \(index)"
            let service = index.isMultiple(of: 2) ? firstURL : secondURL
            expected[try await Self.upload(title, service: service, browser: browser)] = title
        }
        // A CLI command beside them reads and sweeps the same folder meanwhile.
        let sweep = try GalleryProcess(
            ["jobs", "sweep", "--jobs", directory.appendingPathComponent("jobs").path], logDirectory: directory)
        sweep.process.waitUntilExit()
        #expect(sweep.process.terminationStatus == 0, "\(sweep.log)")

        let titles = try await Self.waitForTitles(Array(expected.keys), moto: moto, browser: browser, seconds: 60)
        #expect(titles == expected)
        let pending = try await FileJobQueue(directory: directory.appendingPathComponent("jobs")).pending()
        #expect(pending.isEmpty)
        // Each upload was published (titled) by exactly one of the two.
        var published = 0
        for service in [firstURL, secondURL] {
            let metrics = try await browser.send(service + "/metrics").text
            for line in metrics.split(separator: "\n")
            where line.hasPrefix(#"gallery_uploads_processed_total{outcome="published"}"#) {
                published += Int(Double(line.split(separator: " ").last ?? "0") ?? 0)
            }
        }
        #expect(published == expected.count, "published \(published) times for \(expected.count) uploads")
        print(
            "two instances: \(expected.count) uploads presigned across both, tagged \(titles.count), published "
                + "\(published) times (once each), jobs left: \(pending.count), jobs lost: \(expected.count - titles.count)"
        )
    }
}
