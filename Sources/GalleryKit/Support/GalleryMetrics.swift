public import CoreMetrics
public import Foundation
public import SigV4
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

/// Counts every call to the store it wraps, in either mode, by operation and outcome.
public struct MeteredStore: ObjectStore {
    public let inner: any ObjectStore
    public let metrics: GalleryMetrics

    public init(_ inner: any ObjectStore, metrics: GalleryMetrics) {
        self.inner = inner
        self.metrics = metrics
    }

    public var bucket: String { inner.bucket }

    private func measure<T>(_ operation: String, _ body: () async throws -> T, outcome: (T) -> String = { _ in "ok" })
        async throws -> T
    {
        do {
            let result = try await body()
            metrics.storeRequest(operation, outcome: outcome(result))
            return result
        } catch ObjectStoreError.noSuchKey(let key) {
            metrics.storeRequest(operation, outcome: "not_found")
            throw ObjectStoreError.noSuchKey(key)
        } catch {
            metrics.storeRequest(operation, outcome: "error")
            throw error
        }
    }

    public func list(prefix: String, continuationToken: String?, maxKeys: Int) async throws -> ObjectListPage {
        try await measure("list") {
            try await inner.list(prefix: prefix, continuationToken: continuationToken, maxKeys: maxKeys)
        }
    }
    public func head(key: String) async throws -> ObjectHead? {
        try await measure("head", { try await inner.head(key: key) }, outcome: { $0 == nil ? "not_found" : "ok" })
    }
    public func read(key: String, range: Range<Int>?) async throws -> Data? {
        try await measure(
            "get", { try await inner.read(key: key, range: range) }, outcome: { $0 == nil ? "not_found" : "ok" })
    }
    public func readVersion(key: String) async throws -> (data: Data, etag: String)? {
        try await measure(
            "get", { try await inner.readVersion(key: key) }, outcome: { $0 == nil ? "not_found" : "ok" })
    }
    public func tags(key: String) async throws -> [ObjectTag] {
        try await measure("get_tags") { try await inner.tags(key: key) }
    }
    public func putTags(_ tags: [ObjectTag], key: String) async throws {
        try await measure("put_tags") { try await inner.putTags(tags, key: key) }
    }
    public func put(
        key: String, body: Data, contentType: String, cacheControl: String?, condition: WriteCondition?
    ) async throws -> String {
        let etag = try await measure("put") {
            try await inner.put(
                key: key, body: body, contentType: contentType, cacheControl: cacheControl, condition: condition)
        }
        metrics.storeBytesWritten(body.count)
        return etag
    }
    public func delete(key: String) async throws {
        try await measure("delete") { try await inner.delete(key: key) }
    }
    public func presignedGetURL(key: String, expiresIn: Int, now: Date) async throws -> String? {
        try await inner.presignedGetURL(key: key, expiresIn: expiresIn, now: now)
    }
    public func presignPost(
        key: String, fields: [PresignedPost.Field], conditions: [PostPolicy.Condition], expiresIn: Int, now: Date
    ) async throws -> UploadForm {
        try await measure("presign") {
            try await inner.presignPost(
                key: key, fields: fields, conditions: conditions, expiresIn: expiresIn, now: now)
        }
    }
}

/// Counters made once per set of dimensions: every store call and presign counts, and making a
/// counter means a lookup in the factory's registry.
final class CounterCache: Sendable {
    private let counters = Mutex<[String: Counter]>([:])

    func counter(_ name: String, make: () -> Counter) -> Counter {
        if let counter = counters.withLock({ $0[name] }) { return counter }
        let counter = make()
        counters.withLock { $0[name] = counter }
        return counter
    }
}
