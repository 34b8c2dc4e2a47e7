import Foundation
import GalleryKit
import Prometheus

/// Counts a command's requests to the store (through the gallery's own `gallery_store_requests_total`),
/// for the line an operator's command ends with: what the command cost in S3 requests.
struct StoreRequestTally {
    let registry = PrometheusCollectorRegistry()
    var metrics: GalleryMetrics { GalleryMetrics(factory: PrometheusMetricsFactory(registry: registry)) }

    /// Requests made so far.
    var count: Int {
        let text = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        var total = 0.0
        for line in text.split(separator: "\n") where line.hasPrefix("gallery_store_requests_total{") {
            total += line.split(separator: " ").last.flatMap { Double($0) } ?? 0
        }
        return Int(total)
    }

    /// Writes "<what>: N store requests" to standard error.
    func report(_ what: String) {
        FileHandle.standardError.write(Data("\(what): \(count) store request\(count == 1 ? "" : "s")\n".utf8))
    }
}
