import Foundation
import GalleryKit
import GalleryServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import SigV4
import Synchronization
import TestSupport
import Testing

/// The bucket refuses the generated pages while `failing` is set: rebuilds fail, uploads do not.
final class PageWritesFail: Sendable {
    let failing = Mutex(true)
    struct Refused: Error {}

    func store(over bucket: LocalBucket) -> ObservedStore {
        ObservedStore(bucket) { [self] key in
            if key == "index.html", failing.withLock({ $0 }) { throw Refused() }
        }
    }
}

struct FailingRebuildTests {
    /// Issue 12, item 6: when the rebuild failed, `/uploaded` still redirected as if the photo were
    /// shown, nothing tried again until another upload, and nothing said so. Now the uploader gets a
    /// page that says the photo is being published and looks again; `/healthz` and `/metrics` say the
    /// pages are not being updated; the rebuild is tried again by itself and, once the bucket takes
    /// the pages, the photo is shown and `/uploaded` redirects.
    @Test func aFailingRebuildIsToldAndTriedAgain() async throws {
        let registry = PrometheusCollectorRegistry()
        let store = PageWritesFail()
        var service = try await TestGallery(
            metrics: GalleryMetrics(factory: PrometheusMetricsFactory(registry: registry))
        ) { store.store(over: $0) }
        service.settings.metricsRegistry = registry
        service.settings.rebuildWait = .milliseconds(300)
        let upload = try await service.gallery.presigner.presign(title: try Title(normalizing: "Harbour <b>"))
        let fields = upload.form.post.fields.map { ($0.name, $0.value) } + [("Content-Type", "image/png")]
        try await service.test { client in
            let posted = try await LocalBucketRouteTests.post(client, fields: fields, file: Fixtures.png)
            let path = String(try #require(posted.headers[.location]).dropFirst(TestGallery.publicURL.count))
            let landed = try await client.execute(uri: path, method: .get)
            #expect(landed.status == .accepted, "\(landed.text)")
            #expect(landed.headers[HTTPField.Name("Refresh")!] == "5")
            #expect(landed.text.contains("“Harbour b” is being published"))
            #expect(landed.headers[.location] == nil)
            let health = try await client.execute(uri: "/healthz", method: .get)
            #expect(health.status == .ok)
            #expect(health.text.hasPrefix("degraded: rebuilds have failed since "))
            #expect(try await client.execute(uri: "/metrics", method: .get).text.contains("gallery_rebuild_failing 1"))

            store.failing.withLock { $0 = false }
            // Tried again by itself (after 1 s, then 2 s): bounded wait for the photo to be shown.
            var shown = false
            for _ in 0..<100 where !shown {
                try await Task.sleep(for: .milliseconds(100))
                shown = try await client.execute(uri: "/index.html", method: .get).text.contains(#"alt="Harbour b""#)
            }
            #expect(shown)
            #expect(try await client.execute(uri: "/healthz", method: .get).text == "ok\n")
            #expect(try await client.execute(uri: "/metrics", method: .get).text.contains("gallery_rebuild_failing 0"))
            let again = try await client.execute(uri: path, method: .get)
            #expect(again.status == .seeOther)
        }
    }
}
