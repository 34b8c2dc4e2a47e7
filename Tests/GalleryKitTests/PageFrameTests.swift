import Foundation
import SigV4
import TestSupport
import Testing

@testable import GalleryKit

struct PageFrameTests {
    @Test func fillsEscapedAndRawValuesLikeTheFullRender() throws {
        func render(_ values: [String]) -> String {
            "<title>" + MarkupEscaping.escape(values[0]) + "</title><form>" + values[1] + "</form><p>"
                + MarkupEscaping.escape(values[0]) + "</p>"
        }
        let frame = try #require(PageFrame.make(slotCount: 2, render: render))
        #expect(frame.pieces.filter { if case .value = $0 { true } else { false } }.count == 3)
        for values in [["Zürich & <night>", #"<input value="a">"#], ["", ""], ["\u{E000}0&\u{E001}", "x"]] {
            #expect(frame.fill(values) == render(values))
        }
    }

    /// A template that does more with a value than show it gets no frame: its pages are rendered in full.
    @Test func noFrameForATemplateThatTransformsAValue() {
        #expect(PageFrame.make(slotCount: 1) { "<h1>" + $0[0].uppercased() + "</h1>" } == nil)
        #expect(PageFrame.make(slotCount: 1) { "<h1>" + String($0[0].prefix(3)) + "</h1>" } == nil)
        #expect(PageFrame.make(slotCount: 2) { "<h1>" + $0[0] + "</h1>" } != nil, "a value left out is fine")
    }

    /// The shipped theme's upload page comes from a frame, and it is the page the template renders.
    @Test func theShippedUploadPageIsFramedAndUnchanged() async throws {
        let root = try Fixtures.temporaryDirectory()
        let bucket = try LocalBucket(root: root, postURL: "http://127.0.0.1:8080/bucket", credentials: nil)
        let configuration = GalleryConfiguration(publicURL: "http://127.0.0.1:8080")
        let renderer = PageRenderer(theme: try await Theme(directory: Fixtures.site), configuration: configuration)
        let now = Date(timeIntervalSince1970: 1_764_078_307)
        for title in ["Zürich bei Nacht", "東京 / 夜", "a_b.c:d=e+f-g@h"] {
            let form = try await bucket.presignPost(
                key: "photos/k", fields: [.init("success_action_redirect", configuration.uploadedURL)],
                conditions: [], expiresIn: 600, now: now)
            let upload = PresignedUpload(key: "photos/k", title: try Title(normalizing: title), form: form)
            let values = renderer.uploadPageValues(upload)
            #expect(
                try PageFrame.make(slotCount: values.count) {
                    try renderer.renderUploadPage(formURL: form.url, values: $0)
                } != nil)
            let page = try renderer.uploadPage(upload)
            #expect(page == (try renderer.renderUploadPage(formURL: form.url, values: values)))
            #expect(page.contains("Choose the photo for “\(title)”"))
        }
    }
}
