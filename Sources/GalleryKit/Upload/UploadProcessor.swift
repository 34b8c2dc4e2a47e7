import Foundation
public import Logging

/// What processing one uploaded key did.
public enum UploadOutcome: Sendable, Hashable {
    /// The key is outside the upload prefix (the generator's own writes, for one): nothing to do.
    case ignored
    /// No object at the key (yet): the job stays for a later signal.
    case missing
    /// Another process sharing the job queue is processing the upload right now.
    case busy
    /// Not a raster image the gallery publishes: the object was deleted and its job dropped.
    case rejected(reason: String)
    /// Tagged with `title`; `changed` is false when the tag was already there.
    case published(title: Title, changed: Bool)
}

/// The tagger: turns "an upload of key K landed" into a titled, published photo. Idempotent, at-least-once.
///
/// All three signals (S3 event, the browser's redirect, the poller) end here. Runs for one key are
/// serialised within the process, so a run that finds nothing left to do knows the rebuild showing the
/// photo was already requested. Across processes the order of steps keeps them safe: the job is read
/// before the tags, and the tag is written before the job is removed, so a run that finds no job
/// always finds the title already set.
public struct UploadProcessor: Sendable {
    public let store: any ObjectStore
    public let queue: any JobQueue
    public let configuration: GalleryConfiguration
    private let requestRebuild: @Sendable (GalleryPhoto) async -> Void
    private let logger: Logger
    private let serializer = KeyedSerializer()
    private let metrics: GalleryMetrics

    /// The tag key titles are stored under.
    public static let titleTag = "Title"

    /// Creates a processor; `requestRebuild` asks for the gallery to show a newly titled photo.
    public init(
        store: any ObjectStore, queue: any JobQueue, configuration: GalleryConfiguration,
        logger: Logger = Logger(label: "gallery.tagger"), metrics: GalleryMetrics = .none,
        requestRebuild: @escaping @Sendable (GalleryPhoto) async -> Void
    ) {
        self.store = store
        self.queue = queue
        self.configuration = configuration
        self.logger = logger
        self.requestRebuild = requestRebuild
        self.metrics = metrics
    }

    /// Processes the upload of `key`.
    @discardableResult
    public func process(key: String) async throws -> UploadOutcome {
        let outcome = try await serializer.run(key) { try await processAlone(key: key) }
        metrics.processed(outcome)
        return outcome
    }

    private func processAlone(key: String) async throws -> UploadOutcome {
        guard key.hasPrefix(configuration.uploadPrefix), key.count > configuration.uploadPrefix.count else {
            return .ignored
        }
        // Not there yet: the common answer for a polled job, found without claiming it.
        guard let head = try await store.head(key: key) else { return .missing }
        // Another instance sharing the queue may be on this job right now: leave it to that one.
        let claim = try await queue.claim(key: key)
        if case .heldElsewhere = claim { return .busy }
        defer { claim.release() }
        let leading = try await store.read(key: key, range: 0..<ImageFormat.signatureLength) ?? Data()
        if ImageFormat.verified(contentType: head.contentType, bytes: leading) == nil,
            ImageFormat.isUnlabelled(head.contentType), ImageFormat.sniff(leading) != nil
        {
            // An image whose type is not there yet (some stores announce an object before its metadata
            // is readable): not ready rather than wrong. A later signal, or the poller, finds it labelled.
            return .missing
        }
        guard ImageFormat.verified(contentType: head.contentType, bytes: leading) != nil else {
            let reason =
                ImageFormat.sniff(leading) == nil
                ? "the file is not a JPEG, PNG, GIF, WebP or AVIF image"
                : "the file's bytes do not match its Content-Type '\(head.contentType)'"
            try await store.delete(key: key)
            try await queue.remove(key: key)
            logger.notice("rejected an upload", metadata: ["key": "\(key)", "reason": "\(reason)"])
            return .rejected(reason: reason)
        }

        let job = try await queue.job(for: key)
        let tags = try await store.tags(key: key)
        let existing = tags.first { $0.key == Self.titleTag }.flatMap { Title(tagValue: $0.value) }
        let title = job?.title ?? existing ?? .untitled
        let changed = existing != title
        if changed {
            let merged = tags.filter { $0.key != Self.titleTag } + [ObjectTag(key: Self.titleTag, value: title.text)]
            try await store.putTags(merged, key: key)
        }
        if job != nil { try await queue.remove(key: key) }
        if changed {
            logger.info("titled an upload", metadata: ["key": "\(key)"])
            await requestRebuild(
                GalleryPhoto(
                    key: key, title: title, uploadedAt: head.lastModified, size: head.size, etag: head.etag,
                    contentType: head.contentType))
        }
        return .published(title: title, changed: changed)
    }
}
