import Foundation
import GalleryKit
import GalleryServer
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import SigV4
import TestSupport
import Testing

struct MetricsRouteTests {
    @Test func metricsCountStoreRequestsPresignsUploadsAndRebuilds() async throws {
        let registry = PrometheusCollectorRegistry()
        var gallery = try await TestGallery(
            metrics: GalleryMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        gallery.settings.metricsRegistry = registry
        gallery.settings.rebuildAtStart = true
        let upload = try await gallery.gallery.presigner.presign(title: try Title(normalizing: "Counted"))
        let fields = upload.form.post.fields.map { ($0.name, $0.value) } + [("Content-Type", "image/png")]
        let text = try await gallery.test { client in
            let (body, contentType) = Fixtures.multipart(fields: fields, file: Fixtures.png)
            let posted = try await client.execute(
                uri: "/bucket", method: .post, headers: [.contentType: contentType], body: ByteBuffer(bytes: body))
            let location = try #require(posted.headers[.location])
            let landed = try await client.execute(
                uri: String(location.dropFirst(TestGallery.publicURL.count)), method: .get)
            #expect(landed.status == .seeOther)
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            return metrics.text
        }
        for line in [
            #"gallery_presigns_total 1"#, #"gallery_store_requests_total{operation="put_tags",outcome="ok"} 1"#,
            #"gallery_store_requests_total{operation="head",outcome="ok"}"#,
            #"gallery_uploads_processed_total{outcome="published"} 1"#,
            #"gallery_rebuilds_total{kind="start",outcome="ok"}"#,
            #"gallery_rebuild_duration_seconds_count{kind="start"}"#, #"gallery_pending_jobs 0"#,
        ] {
            #expect(text.contains(line), "missing \(line) in\n\(text)")
        }
        // The renditions, pages, manifest part and gallery.json the upload wrote: some kilobytes.
        let bytes = text.split(separator: "\n").first { $0.hasPrefix("gallery_store_bytes_written_total ") }
        #expect((bytes?.split(separator: " ").last.flatMap { Int($0) } ?? 0) > 1000, "\(text)")
    }
}
