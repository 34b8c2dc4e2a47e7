import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TestSupport
import Testing

/// The gallery against a real S3 peer: moto on 127.0.0.1, with `gallery setup` and `gallery serve --bucket`
/// running as their own processes. The bucket, not the service, serves the pages.
@Suite(.enabled(if: MotoServer.shouldRun, "moto is not installed (run .ci/test)"))
struct S3GalleryTests {
    static let environment = [
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_CONFIG_FILE": "/nonexistent",
    ]
    static let token = "events-token-for-tests"

    struct Deployment {
        let moto: MotoServer
        let server: GalleryProcess
        let directory: URL
        let service: String
        let bucket: String
        /// The website's host when it is not moto's (`deploy(separateWebsite: true)`).
        var website: PeerServer? = nil
        var bucketURL: String { moto.endpoint + "/" + bucket }
        /// Where visitors see the gallery: moto, or the separate website host in front of it.
        var galleryURL: String { website.map { "http://127.0.0.1:\($0.port)/" + bucket } ?? bucketURL }
    }

    /// moto, `gallery setup` (with notifications to the service when asked), and `gallery serve`.
    ///
    /// `separateWebsite`: the pages are read through a host of their own in front of moto (a plain
    /// proxy on another port, so another origin), as S3's website endpoint differs from the endpoint
    /// that takes uploads: the pages' uploads are cross-origin, as on AWS. `extra`: more options for both.
    static func deploy(
        notifications: Bool, pollInterval: Int, separateWebsite: Bool = false, extra: [String] = []
    ) async throws -> Deployment {
        let moto = try await MotoServer()
        let website =
            separateWebsite ? try await PeerServer("fault_proxy.py", arguments: ["--target", moto.endpoint]) : nil
        let directory = try Fixtures.temporaryDirectory("gallery-s3")
        let port = try Fixtures.freePort()
        let service = "http://127.0.0.1:\(port)"
        let bucket = "gallery-e2e"
        var common = [
            "--bucket", bucket, "--endpoint", moto.endpoint, "--port", "\(port)", "--jobs",
            directory.appendingPathComponent("jobs").path, "--site", Fixtures.site.path,
        ]
        if let website { common += ["--gallery-url", "http://127.0.0.1:\(website.port)/" + bucket] }
        common += extra
        var setupArguments = ["setup"] + common
        if notifications { setupArguments += ["--notify-url", service, "--events-token", token] }
        let setup = try GalleryProcess(setupArguments, logDirectory: directory, environment: environment)
        let setupOutput = String(decoding: setup.stdout.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        setup.process.waitUntilExit()
        #expect(setup.process.terminationStatus == 0, "setup failed: \(setup.log)")
        #expect(setupOutput.contains("static website hosting"))

        var serveArguments = ["serve"] + common + ["--poll-interval", "\(pollInterval)"]
        if notifications {
            // moto signs its SNS deliveries and serves the certificate itself: the service checks them for real.
            serveArguments += ["--events-token", token, "--sns-certificate-endpoint", moto.endpoint]
        }
        let server = try GalleryProcess(serveArguments, logDirectory: directory, environment: environment)
        let browser = Browser()
        for _ in 0..<150 {
            if (try? await browser.send(service + "/healthz"))?.status == 200 { break }
            guard server.process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(server.process.isRunning, "gallery serve exited: \(server.log)")
        return Deployment(
            moto: moto, server: server, directory: directory, service: service, bucket: bucket, website: website)
    }

    /// Presigns over HTTP and posts a PNG straight to moto; returns the key and moto's redirect.
    static func upload(_ title: String, to deployment: Deployment, browser: Browser) async throws -> (
        key: String, redirect: String
    ) {
        let presigned = try await browser.send(
            deployment.service + "/upload", method: .POST,
            headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Data(("title=" + Browser.formEncode(title)).utf8))
        #expect(presigned.status == 201, "\(presigned.text)")
        let object = try #require(try JSONSerialization.jsonObject(with: presigned.body) as? [String: Any])
        let url = try #require(object["url"] as? String)
        #expect(url == deployment.bucketURL)
        let fields = try #require(object["fields"] as? [String: String])
        let (body, contentType) = Fixtures.multipart(
            fields: fields.map { ($0.key, $0.value) } + [("Content-Type", "image/png")], file: Fixtures.png)
        let posted = try await browser.send(url, method: .POST, headers: [("Content-Type", contentType)], body: body)
        #expect(posted.status == 303, "moto refused the upload: \(posted.text)")
        return (try #require(object["key"] as? String), posted.headers.first(name: "Location") ?? "")
    }

    /// The Title tags of `keys`, read with signed requests (uploads are private: the bucket policy
    /// refuses anonymous reads, tags included); untagged keys are left out.
    /// (botocore in a subprocess, off the concurrency pool: the tests poll this, and the services
    /// under test need the pool meanwhile.)
    static func titles(of keys: [String], endpoint: String, bucket: String) async throws -> [String: String] {
        let output = try await offThePool {
            try PythonPeer.run("object_titles.py", arguments: [endpoint, bucket] + keys)
        }
        return (try JSONSerialization.jsonObject(with: output) as? [String: String]) ?? [:]
    }

    /// The upload's Title tag; nil while untagged.
    static func title(of key: String, in deployment: Deployment, browser: Browser) async throws -> String? {
        try await titles(of: [key], endpoint: deployment.moto.endpoint, bucket: deployment.bucket)[key]
    }

    /// Waits (bounded) for the key's Title tag.
    static func waitForTitle(of key: String, in deployment: Deployment, browser: Browser, seconds: Int = 20)
        async throws -> String?
    {
        for _ in 0..<(seconds * 10) {
            if let title = try await title(of: key, in: deployment, browser: browser) { return title }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    @Test func theFullFlowOnMoto() async throws {
        let deployment = try await Self.deploy(notifications: false, pollInterval: 0)
        let browser = Browser()
        let (key, redirect) = try await Self.upload("Harbour 東京 <b>", to: deployment, browser: browser)
        // moto's redirect carries bucket and key but no etag; the service does not need one.
        #expect(redirect.hasPrefix(deployment.service + "/uploaded?"))
        #expect(!redirect.contains("etag="))
        let landed = try await browser.send(redirect)
        #expect(landed.status == 303, "\(landed.text) \(deployment.server.log)")
        #expect(landed.headers.first(name: "Location") == deployment.bucketURL + "/index.html")

        #expect(try await Self.title(of: key, in: deployment, browser: browser) == "Harbour 東京 b")
        let index = try await browser.send(deployment.bucketURL + "/index.html")
        #expect(index.status == 200)
        #expect(index.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        #expect(index.text.contains(#"alt="Harbour 東京 b""#))
        // The upload is private (the bucket policy grants nothing under incoming/); its rendition is public.
        #expect(try await browser.send(deployment.bucketURL + "/" + key).status == 403)
        let rendition = try #require(
            index.text.range(of: #"img/[0-9a-f-]+/1-[0-9a-f]{10}\.webp"#, options: .regularExpression))
        let photo = try await browser.send(deployment.bucketURL + "/" + index.text[rendition])
        #expect(photo.status == 200)
        #expect(photo.headers.first(name: "Content-Type") == "image/webp")
        #expect(photo.headers.first(name: "Cache-Control") == "public, max-age=31536000, immutable")
        // In S3 mode the service serves no pages: the bucket does.
        #expect(try await browser.send(deployment.service + "/index.html").status == 404)
    }

    @Test func notificationsTagAnUploadWithNoRedirectFollowed() async throws {
        let deployment = try await Self.deploy(notifications: true, pollInterval: 0)
        let browser = Browser()
        let (key, _) = try await Self.upload("Told by SNS", to: deployment, browser: browser)
        let title = try await Self.waitForTitle(of: key, in: deployment, browser: browser)
        #expect(title == "Told by SNS", "bucket → SNS → /events did not tag the upload: \(deployment.server.log)")
        #expect(deployment.server.log.contains("received events"))
    }

    @Test func thePollerTagsAnUploadWhoseRedirectWasNeverFollowed() async throws {
        let deployment = try await Self.deploy(notifications: false, pollInterval: 1)
        let browser = Browser()
        let (key, _) = try await Self.upload("Found by polling", to: deployment, browser: browser)
        let title = try await Self.waitForTitle(of: key, in: deployment, browser: browser)
        #expect(title == "Found by polling", "the poller did not tag the upload: \(deployment.server.log)")
        // And the gallery is rebuilt with it.
        var index = ""
        for _ in 0..<100 where !index.contains("Found by polling") {
            index = try await browser.send(deployment.bucketURL + "/index.html").text
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(index.contains(#"alt="Found by polling""#))
    }

    @Test func setupIsIdempotentAndMakesOnlyTheGalleryPublic() async throws {
        let deployment = try await Self.deploy(notifications: true, pollInterval: 0)
        deployment.server.stop()
        // A second run changes nothing and still succeeds.
        let again = try GalleryProcess(
            [
                "setup", "--bucket", deployment.bucket, "--endpoint", deployment.moto.endpoint, "--notify-url",
                deployment.service, "--events-token", Self.token,
            ], logDirectory: deployment.directory, environment: Self.environment)
        again.process.waitUntilExit()
        #expect(again.process.terminationStatus == 0, "\(again.log)")

        let output = try PythonPeer.run("inspect_bucket.py", arguments: [deployment.moto.endpoint, deployment.bucket])
        let config = try #require(try JSONSerialization.jsonObject(with: output) as? [String: Any])
        #expect(config["index"] as? String == "index.html")
        // Reads from anywhere; upload POSTs from the gallery's origin (moto's, here) and the
        // service's (the default --public-url, which this second run was not given) only.
        let cors = try #require(config["cors"] as? [[String: Any]])
        #expect(cors.count == 2, "\(cors)")
        #expect(cors.first?["methods"] as? [String] == ["GET", "HEAD"])
        #expect(cors.first?["origins"] as? [String] == ["*"])
        #expect(cors.last?["methods"] as? [String] == ["POST"])
        #expect(cors.last?["origins"] as? [String] == [deployment.moto.endpoint, "http://127.0.0.1:8080"])
        #expect(cors.last?["expose"] as? [String] == ["ETag", "Retry-After"])
        let block = try #require(config["block"] as? [String: Bool])
        #expect(block["BlockPublicPolicy"] == false)
        #expect(block["BlockPublicAcls"] == true)
        let policy = try #require(config["policy"] as? [String: Any])
        let statement = try #require((policy["Statement"] as? [[String: Any]])?.first)
        let resources = try #require(statement["Resource"] as? [String])
        #expect(
            Set(resources)
                == Set(
                    [
                        "img/*", "index.html", "gallery.json", "feed.atom", "feed.json", "assets/*", "manifest/*",
                        "photo/*", "page/*",
                    ]
                    .map { "arn:aws:s3:::gallery-e2e/\($0)" }
                ))
        #expect(!resources.contains("arn:aws:s3:::gallery-e2e/*"))
        let topics = try #require(config["topics"] as? [[String: Any]])
        #expect(topics.count == 1)
        #expect((topics.first?["events"] as? [String]) == ["s3:ObjectCreated:*"])
        #expect("\(topics.first?["filter"] ?? "")".contains("incoming/"))
    }
}
