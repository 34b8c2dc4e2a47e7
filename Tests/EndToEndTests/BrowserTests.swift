import Foundation
import TestSupport
import Testing

/// A real browser: headless Chromium driven by Selenium (`Tests/Peers/browser_upload.py`) through the
/// whole visit with scripts turned off, in the embedded mode and against moto. Screenshots of every step are kept under
/// `.build/test-artifacts/browser/` for a failing run to be looked at.
@Suite(.enabled(if: Chromium.shouldRun, "Chromium is not installed (run .ci/test, which installs it)"))
struct BrowserTests {
    static let chromium = Chromium.browser
    static let chromedriver = Chromium.driver

    struct Report {
        let object: [String: Any]
        let output: String

        var shownUnderTitle: Bool { object["shown_under_title"] as? Bool ?? false }
        var photos: [[String]] { object["photos"] as? [[String]] ?? [] }
        var console: [String] { object["console"] as? [String] ?? [] }
        var steps: [String] { (object["steps"] as? [[String: Any]] ?? []).compactMap { $0["step"] as? String } }
    }

    /// Runs the Selenium visit; the report comes back even when a step failed.
    static func visit(start: String, title: String, javascript: Bool, name: String) async throws -> Report {
        let directory = try Fixtures.temporaryDirectory("gallery-browser")
        let image = directory.appendingPathComponent("harbour.png")
        try Fixtures.png.write(to: image)
        let screenshots = Fixtures.repositoryRoot.appendingPathComponent(".build/test-artifacts/browser/" + name)
        try? FileManager.default.removeItem(at: screenshots)
        let request: [String: Any] = [
            "start": start, "title": title, "image": image.path, "screenshots": screenshots.path,
            "javascript": javascript, "chromium": chromium, "chromedriver": chromedriver,
        ]
        // Off the concurrency pool: the visit takes seconds, and the service under test needs the pool.
        let input = try JSONSerialization.data(withJSONObject: request)
        let outcome = try await offThePool { try PythonPeer.execute("browser_upload.py", input: input) }
        let object = (try? JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any]) ?? [:]
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        print("browser \(name): screenshots in \(screenshots.path); report: \(text)")
        #expect(outcome.status == 0, "the browser visit failed: \(text) \(outcome.stderr)")
        return Report(object: object, output: text)
    }

    static func check(_ report: Report, title: String, javascript: Bool, landing: String) {
        #expect(report.steps == ["gallery", "title-typed", "upload-form", "photo-chosen", "gallery-with-photo"])
        #expect(report.object["final_url"] as? String == landing, "\(report.output)")
        #expect(report.shownUnderTitle, "\(report.output)")
        // The newest photo comes first, its caption under it.
        #expect(report.photos.first == [title, title], "\(report.output)")
        #expect(report.object["content_type_chosen"] as? String == "image/png")
        if javascript {
            // upload.js ran (it picked the type from the file) and the photo's bytes rendered.
            #expect(report.object["image_loaded"] as? Bool == true, "\(report.output)")
        }
        // Nothing the pages need was blocked by their Content-Security-Policy, and nothing failed to load.
        #expect(report.console.filter { $0.contains("Content Security Policy") }.isEmpty, "\(report.console)")
        #expect(report.console.isEmpty, "\(report.console)")
    }

    // With scripts the title form becomes the uploader (`UploaderBrowserTests`); without them the
    // two-page flow (title, then the one-photo form with its "Image type") works as it always did.
    @Test func embeddedGalleryWithoutScripts() async throws {
        let directory = try Fixtures.temporaryDirectory("gallery-browser-local")
        let port = try Fixtures.freePort()
        let base = "http://127.0.0.1:\(port)"
        let server = try GalleryProcess.serveEmbedded(in: directory, port: port)
        defer { server.stop() }
        try await Self.waitUntilServed(base + "/index.html", server: server)

        let title = "Ελλάδα without scripts"
        let report = try await Self.visit(start: base + "/", title: title, javascript: false, name: "local-no-js")
        Self.check(report, title: title, javascript: false, landing: base + "/")
    }

    @Test func galleryOnMotoWithoutScripts() async throws {
        try #require(MotoServer.shouldRun)
        let deployment = try await S3GalleryTests.deploy(notifications: false, pollInterval: 0)
        let landing = deployment.bucketURL + "/index.html"
        try await Self.waitUntilServed(landing, server: deployment.server)
        let title = "Harbour 東京 Zürich"
        let report = try await Self.visit(start: landing, title: title, javascript: false, name: "moto-no-js")
        Self.check(report, title: title, javascript: false, landing: landing)
    }

    /// Waits (bounded) until `url` answers 200: the first rebuild has written the gallery.
    static func waitUntilServed(_ url: String, server: GalleryProcess) async throws {
        let browser = Browser()
        for _ in 0..<300 {
            if (try? await browser.send(url))?.status == 200 { return }
            try #require(server.process.isRunning, "gallery serve exited: \(server.log)")
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("\(url) was never served: \(server.log)")
    }
}

/// Debian's Chromium and its WebDriver, as `.ci/test` installs them.
enum Chromium {
    static let browser = "/usr/bin/chromium"
    static let driver = "/usr/bin/chromedriver"
    /// Installed, or CI (where a missing browser must fail the run, not skip it).
    static var shouldRun: Bool {
        FileManager.default.isExecutableFile(atPath: browser) || ProcessInfo.processInfo.environment["CI"] == "true"
    }
}
