public import CoreMetrics
import Synchronization

/// The gallery's metrics, through swift-metrics: what the service and its store are doing.
///
/// The factory is injected (the service passes its Prometheus registry's), so tests and benchmarks
/// read their own figures without a process-wide bootstrap.
public struct GalleryMetrics: Sendable {
    let factory: any MetricsFactory
    private let presigns: Counter
    /// Counters by label and dimensions, made on first use.
    private let counters: CounterCache

    /// Metrics through `factory`.
    public init(factory: any MetricsFactory) {
        self.factory = factory
        self.presigns = Counter(label: "gallery_presigns_total", factory: factory)
        self.counters = CounterCache()
    }

    /// Metrics that go nowhere.
    public static let none = GalleryMetrics(factory: NOOPMetricsHandler.instance)

    /// `gallery_store_requests_total{operation, outcome}`: one per object-store call.
    public func storeRequest(_ operation: String, outcome: String) {
        counters.counter("store\u{0}" + operation + "\u{0}" + outcome) {
            Counter(
                label: "gallery_store_requests_total", dimensions: [("operation", operation), ("outcome", outcome)],
                factory: factory)
        }.increment()
    }

    /// `gallery_store_bytes_written_total`: the bodies of the object-store writes that succeeded.
    public func storeBytesWritten(_ count: Int) {
        counters.counter("store-bytes") {
            Counter(label: "gallery_store_bytes_written_total", factory: factory)
        }.increment(by: Int64(count))
    }

    /// `gallery_presigns_total`.
    public func presigned() { presigns.increment() }

    /// `gallery_uploads_processed_total{outcome}`.
    public func processed(_ outcome: UploadOutcome) {
        let name =
            switch outcome {
            case .ignored: "ignored"
            case .missing: "missing"
            case .busy: "busy"
            case .rejected: "rejected"
            case .published(_, let changed): changed ? "published" : "unchanged"
            case .awaitingReview: "awaiting_review"
            case .withdrawn: "withdrawn"
            }
        counters.counter("processed\u{0}" + name) {
            Counter(label: "gallery_uploads_processed_total", dimensions: [("outcome", name)], factory: factory)
        }.increment()
    }

    /// `gallery_rebuilds_total{kind}` and `gallery_rebuild_duration_seconds{kind}`.
    public func rebuilt(_ work: RebuildWork, failed: Bool, duration: Duration) {
        let kind = work.full ? "full" : work.startUp ? "start" : "incremental"
        Counter(
            label: "gallery_rebuilds_total", dimensions: [("kind", kind), ("outcome", failed ? "error" : "ok")],
            factory: factory
        ).increment()
        Timer(label: "gallery_rebuild_duration_seconds", dimensions: [("kind", kind)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// `gallery_rebuild_failing`: 1 while rebuilds fail (the pages are not being updated), else 0.
    public func rebuildFailing(_ failing: Bool) {
        Gauge(label: "gallery_rebuild_failing", factory: factory).record(failing ? 1 : 0)
    }

    /// `gallery_rendition_seconds`: libvips' time to decode one upload and encode its renditions.
    public func rendered(duration: Duration) {
        Timer(label: "gallery_rendition_seconds", factory: factory).recordNanoseconds(duration.nanoseconds)
    }

    /// `gallery_poller_looks_total` (one HEAD each) and `gallery_poller_requests_per_hour`, the pace
    /// the poller's schedule is at.
    public func polled(looks: Int, perHour: Double) {
        Counter(label: "gallery_poller_looks_total", factory: factory).increment(by: Int64(looks))
        Gauge(label: "gallery_poller_requests_per_hour", factory: factory).record(perHour)
    }

    /// `gallery_pending_jobs`.
    public func pendingJobs(_ count: Int) {
        Gauge(label: "gallery_pending_jobs", factory: factory).record(count)
    }
}
