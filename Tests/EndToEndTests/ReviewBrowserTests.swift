import Foundation
import TestSupport
import Testing

/// The review page in a real browser on a phone-sized window (`Tests/Peers/browser_review.py`): an
/// operator signs in, approves one upload and rejects another. Screenshots go to
/// `.build/test-artifacts/browser/review/`.
@Suite(.enabled(if: Chromium.shouldRun, "Chromium is not installed (run .ci/test, which installs it)"))
struct ReviewBrowserTests {
    @Test func anOperatorApprovesOneUploadAndRejectsAnotherOnAPhone() async throws {
        let deployment = try await OperatorTests.Deployment(.local)
        let (server, service) = try await deployment.serve(["--review"])
        defer { server.stop() }
        let browser = Browser()
        var keys: [String: String] = [:]
        for title in ["Harbour at dawn", "Blurry thumb"] {
            let (key, landed) = try await browser.upload(
                to: service, title: title, file: Fixtures.png, contentType: "image/png")
            #expect(landed.status == 202, "\(landed.text)")
            keys[title] = key
        }
        let screenshots = Fixtures.repositoryRoot.appendingPathComponent(".build/test-artifacts/browser/review")
        try? FileManager.default.removeItem(at: screenshots)
        let request: [String: Any] = [
            "start": service + "/review", "token": OperatorTests.adminToken, "approve": "Harbour at dawn",
            "reject": "Blurry thumb", "screenshots": screenshots.path, "chromium": Chromium.browser,
            "chromedriver": Chromium.driver,
        ]
        let input = try JSONSerialization.data(withJSONObject: request)
        let outcome = try await offThePool { try PythonPeer.execute("browser_review.py", input: input) }
        let text = String(decoding: outcome.stdout, as: UTF8.self)
        print("browser review: screenshots in \(screenshots.path); report: \(text)")
        #expect(outcome.status == 0, "the review visit failed: \(text) \(outcome.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: outcome.stdout) as? [String: Any])
        #expect(report["window_width"] as? Int == 390)
        #expect(report["fits_width"] as? Bool == true, "the page scrolls sideways at 390 px")
        #expect(report["previews_loaded"] as? Bool == true, "\(text)")
        #expect(Set(report["before"] as? [String] ?? []) == ["Harbour at dawn", "Blurry thumb"])
        #expect(report["heading_before"] as? String == "Awaiting review: 2")
        #expect(report["approved"] as? Bool == true && report["rejected"] as? Bool == true)
        #expect(report["heading_after"] as? String == "Awaiting review: 0")
        // The approved photo is listed among the published ones, the rejected one nowhere.
        #expect(report["after"] as? [String] == ["Harbour at dawn"])
        for button in report["buttons"] as? [[String: Any]] ?? [] {
            #expect((button["height"] as? Int ?? 0) >= 44, "a button smaller than a fingertip: \(button)")
        }
        #expect((report["console"] as? [String] ?? []).isEmpty, "\(report["console"] ?? [])")
        // axe-core finds nothing serious or critical on the listed page.
        let axe = (report["axe"] as? [String: [String: Any]])?["review"]
        #expect(axe != nil, "axe did not run: \(text)")
        #expect((axe?["violations"] as? [Any])?.isEmpty == true, "\(axe ?? [:])")

        let entries = try await browser.manifestEntries(site: service) ?? []
        #expect(entries.compactMap { $0["title"] as? String } == ["Harbour at dawn"])
        let rejected = try #require(keys["Blurry thumb"])
        let listed = try await deployment.run(["review", "list"], service: service)
        #expect(listed.output.contains("Nothing awaits review."))
        #expect(
            !FileManager.default.fileExists(
                atPath: deployment.directory.appendingPathComponent("bucket/" + rejected).path))
    }
}
