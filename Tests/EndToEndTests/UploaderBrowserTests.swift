import Foundation
import NIOHTTP1
import TestSupport
import Testing

/// The uploader in a real browser (`Tests/Peers/browser_uploader.py`): headless Chromium on a
/// 390 px touch screen chooses several photos at once, sees each one's progress, gets the one over
/// the limit refused before anything is sent, retries one whose upload the test made fail, and
/// browses the result with the keyboard and a swipe; axe-core checks every page on the way.
/// Screenshots go to `.build/test-artifacts/browser/<name>/`.
@Suite(.enabled(if: Chromium.shouldRun, "Chromium is not installed (run .ci/test, which installs it)"))
struct UploaderBrowserTests {
    /// Photos chosen at once: their file names, and the titles they get from them.
    static let photos = ["Harbour at dawn.jpg", "Zürich_Straße 東京.jpeg", "IMG 2041 (copy).JPG"]
    static let titles = ["Harbour at dawn", "Zürich_Straße 東京", "IMG 2041 copy"]
    /// A PNG of noise over the 2 MiB limit the services below are given.
    static let tooBig = "Panorama.png"
    static let limit = 2 * 1024 * 1024

    struct Report {
        let object: [String: Any]
        let output: String

        subscript(_ key: String) -> Any? { object[key] }
        func items(_ key: String) -> [[String: Any]] { object[key] as? [[String: Any]] ?? [] }
        var console: [String] { object["console"] as? [String] ?? [] }
        /// Serious and critical axe violations, by page.
        var accessibility: [String: [[String: Any]]] {
            (object["axe"] as? [String: [String: Any]] ?? [:]).mapValues { $0["violations"] as? [[String: Any]] ?? [] }
        }
    }

    static func visit(_ request: [String: Any], name: String) async throws -> Report {
        let directory = try Fixtures.temporaryDirectory("gallery-uploader")
        let screenshots = Fixtures.repositoryRoot.appendingPathComponent(".build/test-artifacts/browser/" + name)
        try? FileManager.default.removeItem(at: screenshots)
        var request = request
        request["directory"] = directory.path
        request["screenshots"] = screenshots.path
        request["chromium"] = Chromium.browser
        request["chromedriver"] = Chromium.driver
        let input = try JSONSerialization.data(withJSONObject: request)
        // Off the concurrency pool: the visit takes seconds, and the service under test needs the pool.
        let outcome = try await offThePool { try PythonPeer.execute("browser_uploader.py", input: input) }
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        print("browser \(name): screenshots in \(screenshots.path); report: \(text)")
        #expect(outcome.status == 0, "the browser visit failed: \(text) \(outcome.stderr)")
        let object = (try? JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any]) ?? [:]
        return Report(object: object, output: text)
    }

    /// What every visit must show: the chooser took the photos at once, titled from their names,
    /// refused the one over the limit before sending it, and published the rest with their links.
    static func checkSeveralAtOnce(_ report: Report, galleryURL: String) {
        #expect(report["title_form_hidden"] as? Bool == true, "the uploader did not replace the title form")
        #expect(report["window_width"] as? Int == 390)
        #expect(report["fits_width"] as? Bool == true, "the uploader scrolls sideways at 390 px")
        let chosen = report.items("chosen")
        #expect(chosen.map { $0["title"] as? String } == (titles + ["Panorama"]).map(Optional.some))
        #expect(report["start_button"] as? String == "Upload 3 photos")
        // Refused at once, with the limit, before anything was sent.
        let refused = chosen.last ?? [:]
        #expect((refused["state"] as? [String])?.contains("refused") == true, "\(refused)")
        #expect((refused["status"] as? String ?? "").contains("at most 2 MiB"), "\(refused)")

        #expect(report["settled"] as? Bool == true, "the uploads did not finish: \(report.output)")
        let uploaded = report.items("uploaded")
        #expect(uploaded.count == 4)
        for (item, title) in zip(uploaded, titles) {
            #expect((item["state"] as? [String])?.contains("done") == true, "\(item)")
            #expect(item["status"] as? String == "Published: “\(title)”", "\(item)")
            let photoURL = item["photo_url"] as? String ?? ""
            #expect(photoURL.hasPrefix(galleryURL + "/photo/") && photoURL.hasSuffix(".html"), "\(item)")
            #expect((item["manage_url"] as? String ?? "").contains("/manage?key=incoming/"), "\(item)")
        }
        #expect((uploaded.last?["state"] as? [String])?.contains("refused") == true)
        // Three forms asked for, none for the photo over the limit.
        #expect(report["presigns"] as? Int == 3, "\(report.output)")
        #expect((report["summary"] as? String ?? "").hasPrefix("3 photos published."), "\(report.output)")
        // Each bar moved through values between empty and full while its file went up (the upload
        // is throttled to make that visible), and ended full.
        let progress = report["progress"] as? [String: [Double]] ?? [:]
        #expect(progress.count == 3, "\(progress)")
        for (item, values) in progress {
            #expect(values.last == 100, "\(item): \(values)")
            #expect(values.contains { $0 > 0 && $0 < 100 }, "\(item) showed no progress between: \(values)")
        }
    }

    static func checkAccessibility(_ report: Report, pages: Set<String>) {
        #expect(Set(report.accessibility.keys) == pages, "\(report.output)")
        for (page, violations) in report.accessibility {
            #expect(violations.isEmpty, "axe on \(page): \(violations)")
        }
    }

    @Test func severalPhotosAtOnceOnAPhoneThenBrowsed() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-uploader-local")
        let port = try Fixtures.freePort()
        let base = "http://127.0.0.1:\(port)"
        // Two photos a page, so that four make a page besides the index.
        let server = try GalleryProcess.serveEmbedded(
            in: directory, port: port,
            ["--max-upload-bytes", "\(Self.limit)", "--page-size", "2"])
        defer { server.stop() }
        try await BrowserTests.waitUntilServed(base + "/index.html", server: server)

        let report = try await Self.visit(
            [
                "start": base + "/", "photos": Self.photos, "too_big": Self.tooBig, "too_big_bytes": Self.limit + 1,
                "throttle": 384 * 1024, "retry": "Second try.jpg", "block": "*/bucket", "browse": true,
                "upload_page": true,
            ], name: "uploader-local")
        Self.checkSeveralAtOnce(report, galleryURL: base)

        // The failed upload said why and offered a retry; the retry published it with its form.
        let failed = report["failed"] as? [String: Any] ?? [:]
        #expect((failed["state"] as? [String])?.contains("failed") == true, "\(failed)")
        #expect((failed["status"] as? String ?? "").hasPrefix("The upload could not start"), "\(failed)")
        // Nothing moved at all, so the one-photo form, which needs neither the script nor CORS, is offered.
        #expect(report["form_after_failure"] as? Bool == true, "\(report.output)")
        #expect(report["retry_settled"] as? Bool == true, "\(report.output)")
        let retried = report["retried"] as? [String: Any] ?? [:]
        #expect(retried["status"] as? String == "Published: “Second try”", "\(retried)")
        // The form asked for before the failure was used again: one presign for the retried photo.
        #expect(report["presigns_after_retry"] as? Int == 4, "\(report.output)")

        // Without the uploader the title form leads to the one-photo form, which with scripts on
        // does not ask for the type.
        #expect(report["upload_page_asks_type"] as? Bool == false)

        // The gallery shows the four photos, newest first; the photo page fills the phone's width,
        // links to its neighbours and not to itself; → and ← and a swipe move between photos.
        // (The three chosen together were published in whichever order they landed.)
        let shown = report["gallery"] as? [String] ?? []
        #expect(shown.count == 2 && shown.first == "Second try", "\(report.output)")
        #expect(shown.last.map(Self.titles.contains) == true, "\(report.output)")
        let photoPage = report["photo_page"] as? [String: Any] ?? [:]
        #expect(photoPage["links_to_itself"] as? Bool == false, "\(photoPage)")
        let window = photoPage["window"] as? [Int] ?? []
        let width = photoPage["image_width"] as? Int ?? 0
        #expect(window.first.map { width >= $0 - 2 } == true, "the photo is \(width) px wide in \(window)")
        let older = (photoPage["older"] as? [String])?.first
        #expect(older != nil && report["after_right_arrow"] as? String == older, "\(report.output)")
        #expect(report["after_left_arrow"] as? String == photoPage["url"] as? String)
        #expect(report["after_swipe"] as? String == older, "\(report.output)")

        Self.checkAccessibility(report, pages: ["index", "uploader-with-photos", "upload-page", "page", "photo-page"])
        #expect(report.console.isEmpty, "\(report.console)")
    }

    /// An invited guest on the invite page (the service's, with the uploader): the photos carry the
    /// invite and, the gallery reviewing uploads, are told to be waiting for approval; a file that
    /// is no photo, dropped on the chooser, is refused by its type before anything is sent.
    @Test func anInvitedGuestAddsPhotosThatAwaitReview() async throws {
        let deployment = try await OperatorTests.Deployment(.local)
        let (server, service) = try await deployment.serve(["--review", "--uploads", "invite"])
        defer { server.stop() }
        let made = try await deployment.run(
            ["invite", "--expires", "1h", "--invite-secret", OperatorTests.secret], service: service)
        #expect(made.status == 0, "\(made.log)")
        let link = made.output.trimmingCharacters(in: .whitespacesAndNewlines)

        // Four photos: the fourth waits for one of the first three to finish.
        let photos = Self.photos + ["Fourth.webp"]
        let report = try await Self.visit(
            ["start": link, "photos": photos, "drop_text_file": "notes.txt", "throttle": 1024 * 1024],
            name: "uploader-invite")
        #expect(report["title_form_hidden"] as? Bool == true)
        let dropped = report["dropped"] as? [String: Any] ?? [:]
        #expect((dropped["state"] as? [String])?.contains("refused") == true, "\(dropped)")
        #expect(
            (dropped["status"] as? String ?? "").hasPrefix(
                "“notes.txt” is not a photo the gallery takes: it takes JPEG"),
            "\(dropped)")
        #expect(report["settled"] as? Bool == true, "\(report.output)")
        let uploaded = report.items("uploaded")
        #expect(uploaded.count == 4)
        #expect(report["most_at_once"] as? Int == 3, "\(report.output)")
        for item in uploaded {
            #expect((item["state"] as? [String])?.contains("review") == true, "\(item)")
            #expect((item["status"] as? String ?? "").contains("once they are approved"), "\(item)")
            #expect((item["manage_url"] as? String ?? "").hasPrefix(service + "/manage?key=incoming/"), "\(item)")
        }
        #expect((report["summary"] as? String ?? "").hasPrefix("4 waiting for approval."), "\(report.output)")
        #expect(report["presigns"] as? Int == 4)
        Self.checkAccessibility(report, pages: ["index", "uploader-with-photos"])
        #expect(report.console.isEmpty, "\(report.console)")

        // All wait for review, each under its title.
        let listed = try await deployment.run(["review", "list"], service: service)
        for title in Self.titles + ["Fourth"] { #expect(listed.output.contains(title), "\(listed.output)") }
    }

    /// S3 mode: the pages come from the bucket's website (another origin than the service's and
    /// than the endpoint that takes the uploads), so every call the uploader makes is cross-origin
    /// and needs the CORS rule `gallery setup` wrote and the service's CORS answers.
    @Test func severalPhotosAtOnceAgainstMotoAcrossOrigins() async throws {
        try #require(MotoServer.shouldRun)
        let deployment = try await S3GalleryTests.deploy(
            notifications: false, pollInterval: 0, separateWebsite: true,
            extra: ["--max-upload-bytes", "\(Self.limit)"])
        let landing = deployment.galleryURL + "/index.html"
        try await BrowserTests.waitUntilServed(landing, server: deployment.server)

        // The bucket lets the website's origin POST, and not another.
        let browser = Browser()
        let websiteOrigin = "http://127.0.0.1:\(deployment.website?.port ?? 0)"
        func preflight(_ origin: String) async throws -> Answer {
            try await browser.send(
                deployment.bucketURL, method: .OPTIONS,
                headers: [("Origin", origin), ("Access-Control-Request-Method", "POST")])
        }
        let allowed = try await preflight(websiteOrigin)
        #expect(allowed.status == 200, "\(allowed.text)")
        #expect(allowed.headers.first(name: "Access-Control-Allow-Origin") == websiteOrigin)
        #expect(try await preflight("http://127.0.0.1:1").status == 403)
        // The invite page is the service's: its uploads come from the service's origin.
        let fromService = try await preflight(deployment.service)
        #expect(fromService.status == 200)
        #expect(fromService.headers.first(name: "Access-Control-Allow-Origin") == deployment.service)

        let report = try await Self.visit(
            [
                "start": landing, "photos": Self.photos, "too_big": Self.tooBig, "too_big_bytes": Self.limit + 1,
                "throttle": 384 * 1024,
            ], name: "uploader-moto")
        Self.checkSeveralAtOnce(report, galleryURL: deployment.galleryURL)
        Self.checkAccessibility(report, pages: ["index", "uploader-with-photos"])
        #expect(report.console.isEmpty, "\(report.console)")
    }
}
