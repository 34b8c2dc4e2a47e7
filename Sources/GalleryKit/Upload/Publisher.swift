import Crypto
import Foundation
public import ImageProcessing
public import Logging
import SigV4

/// The publisher: turns "an upload of key K landed" into a published photo. Idempotent, at-least-once.
///
/// The upload stays private. The publisher reads it (no more than the policy allows), has libvips
/// decode it and make metadata-free WebP renditions (`RenditionMaker`, one image per core at a time,
/// off the concurrency pool), writes them and the photo's record, tags the original `Title=<title>`,
/// removes the job and asks for a rebuild. Anything libvips does not decode as a still image of an
/// accepted format is deleted, counted and logged. Only the bytes written here are ever public.
///
/// All three signals (S3 event, the browser's redirect, the poller) end here. Runs for one key are
/// serialised within the process, and a job is claimed across processes. Steps are ordered so a
/// crash between any two is mended by the next signal: renditions before the record that names
/// them, the record before the tag, the tag before the job is removed, and a rebuild is asked for
/// whenever a job was still there.
public struct Publisher: Sendable {
    public let store: any ObjectStore
    public let queue: any JobQueue
    public let configuration: GalleryConfiguration
    public let maker: RenditionMaker
    private let workers: ImageWorkers
    /// The next step: the pages that show what is published.
    private let pages: any PageUpdates
    private let logger: Logger
    private let serializer = KeyedSerializer()
    private let metrics: GalleryMetrics
    private let rejections = RecentRejections()

    /// The tag key titles are stored under.
    public static let titleTag = "Title"
    /// The tag key of an upload's original time, when it was moved (from an earlier version's
    /// `photos/`): its photo keeps its place in the gallery.
    public static let uploadedAtTag = "UploadedAt"
    /// Cache-Control of everything the publisher writes: a key's bytes never change.
    public static let immutable = "public, max-age=31536000, immutable"

    /// Creates a publisher that hands what it publishes to `pages`.
    public init(
        store: any ObjectStore, queue: any JobQueue, configuration: GalleryConfiguration, maker: RenditionMaker,
        pages: any PageUpdates, workers: ImageWorkers = ImageWorkers(),
        logger: Logger = Logger(label: "gallery.publisher"), metrics: GalleryMetrics = .none
    ) {
        self.pages = pages
        self.store = store
        self.queue = queue
        self.configuration = configuration
        self.maker = maker
        self.workers = workers
        self.logger = logger
        self.metrics = metrics
    }

    /// Processes the upload of `key`. While another process sharing the queue works on it, waits up
    /// to `patience` for that one to let go, then looks again (`.busy` if it still cannot).
    @discardableResult
    public func process(key: String, waitingUpTo patience: Duration = .zero) async throws -> UploadOutcome {
        var outcome = try await serializer.run(key) { try await processAlone(key: key, remake: false) }
        // Waited for outside the serializer: other signals for the key do not queue behind the wait.
        if outcome == .busy, patience > .zero, await queue.awaitRelease(key: key, within: patience) {
            outcome = try await serializer.run(key) { try await processAlone(key: key, remake: false) }
        }
        metrics.processed(outcome)
        return outcome
    }

    /// Makes the renditions of an already published upload again (after a change of widths, say).
    @discardableResult
    public func remake(key: String) async throws -> UploadOutcome {
        try await serializer.run(key) { try await processAlone(key: key, remake: true) }
    }

    /// Why the upload of `key` was refused, if this process refused it lately (the object is gone, so
    /// a later signal, the browser's redirect say, can still tell the uploader).
    public func rejection(of key: String) -> String? { rejections.reason(for: key) }

    /// Whether `key` names an upload: under the upload prefix, one plain segment after it (no `/` or
    /// `\\`, not `.` or `..`, no control characters), so no store that normalises paths can turn it
    /// into one of the generated files.
    public func isUpload(_ key: String) -> Bool {
        guard key.hasPrefix(configuration.uploadPrefix), key.utf8.count <= 1024 else { return false }
        let name = key.utf8.dropFirst(configuration.uploadPrefix.utf8.count)
        return !name.isEmpty && !name.elementsEqual(".".utf8) && !name.elementsEqual("..".utf8)
            && !name.contains { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") || $0 < 0x20 || $0 == 0x7F }
    }

    private func processAlone(key: String, remake: Bool) async throws -> UploadOutcome {
        guard isUpload(key) else { return .ignored }
        // Not there yet: the common answer for a polled job, found without claiming it.
        guard let head = try await store.head(key: key) else { return .missing }
        // Another instance sharing the queue may be on this job right now: leave it to that one.
        let claim = try await queue.claim(key: key)
        if claim.isHeldElsewhere { return .busy }
        defer { claim.release() }

        let job = try await queue.job(for: key)
        let tags = try await store.tags(key: key)
        let tagged = tags.first { $0.key == Self.titleTag }.flatMap { Title(tagValue: $0.value) }
        let id = GalleryPhoto.id(forKey: key)
        let stored = try await storedRecord(id: id)
        if let stored, stored.standing == .hidden || stored.standing == .removed, stored.photo.key == key {
            // Taken off by an operator: a repeated signal or a form posted again never brings it back.
            if job != nil { try await queue.remove(key: key) }
            return .withdrawn
        }
        let waiting = try await reviewRecord(id: id)
        let previous = stored?.photo.key == key ? stored?.photo : nil
        // A form posted again replaces the object and its tags: the published title still holds.
        let title = job?.title ?? tagged ?? previous?.title ?? waiting?.title ?? .untitled

        if configuration.reviewUploads, !remake, previous?.etag != head.etag {
            if let waiting, waiting.key == key, waiting.etag == head.etag {
                if job != nil { try await queue.remove(key: key) }
                return .awaitingReview(title: waiting.title)
            }
            let rendered: RenderedPhoto
            do {
                rendered = try await render(key: key, head: head)
            } catch let error as Rejection {
                return try await reject(key: key, reason: error.reason)
            }
            let photo = try await publish(
                rendered, key: key, etag: head.etag, uploadedAt: head.lastModified, title: title, held: true)
            if let waiting { try await deleteReplaced(waiting, by: photo, held: true) }
            if tagged != title { try await tag(key, title: title, tags: tags) }
            if job != nil { try await queue.remove(key: key) }
            logger.info("an upload awaits review", metadata: ["key": "\(key)"])
            return .awaitingReview(title: title)
        }

        let photo: GalleryPhoto
        let changed: Bool
        if let previous, previous.key == key, previous.etag == head.etag, !remake {
            changed = previous.title != title
            photo = previous.retitled(title)
            if changed { try await write(record: photo) }
        } else {
            let rendered: RenderedPhoto
            do {
                rendered = try await render(key: key, head: head)
            } catch let error as Rejection {
                // Making renditions again never costs an upload: it stays for a later try.
                guard !remake else {
                    logger.warning(
                        "kept an upload whose renditions could not be made again",
                        metadata: ["key": "\(key)", "reason": "\(error.reason)"])
                    return .rejected(reason: error.reason)
                }
                return try await reject(key: key, reason: error.reason)
            }
            let uploadedAt =
                tags.first { $0.key == Self.uploadedAtTag }.flatMap { AmzDate.parseMilliseconds($0.value) }
                ?? head.lastModified
            photo = try await publish(rendered, key: key, etag: head.etag, uploadedAt: uploadedAt, title: title)
            changed = true
            if let previous { try await deleteReplaced(previous, by: photo) }
        }
        if tagged != title { try await tag(key, title: title, tags: tags) }
        if job != nil { try await queue.remove(key: key) }
        // Whatever failed between here and a rebuild before (a job left behind, a lost request), a
        // published photo the gallery does not show is asked for again.
        let owed = changed || job != nil
        let shown = owed ? false : await pages.shows(key: key)
        if owed || !shown {
            logger.info("published an upload", metadata: ["key": "\(key)", "renditions": "\(photo.renditions.count)"])
            await pages.show(photo)
        }
        return .published(title: title, changed: changed)
    }

    /// Tags the upload `Title=<title>`, keeping its other tags.
    private func tag(_ key: String, title: Title, tags: [ObjectTag]) async throws {
        let merged = tags.filter { $0.key != Self.titleTag } + [ObjectTag(key: Self.titleTag, value: title.text)]
        try await store.putTags(merged, key: key)
    }

    /// Why an upload is refused for good.
    private struct Rejection: Error {
        let reason: String
    }

    /// Reads the upload and has libvips make its renditions, one image per core at a time.
    private func render(key: String, head: ObjectHead) async throws -> RenderedPhoto {
        let limit = configuration.maximumUploadBytes
        guard head.size <= limit else {
            throw Rejection(reason: "the file is \(head.size) bytes, over the \(limit)-byte limit")
        }
        let maker = self.maker
        return try await workers.run {
            // Read inside the slot: uploads waiting their turn hold no bytes.
            guard let data = try await store.read(key: key, range: 0..<(limit + 1)) else {
                throw Rejection(reason: "the file disappeared before it was read")
            }
            guard data.count <= limit else { throw Rejection(reason: "the file is over the \(limit)-byte limit") }
            do {
                let started = ContinuousClock.now
                let rendered = try await ImageWorkers.blocking { try maker.make(from: data) }
                metrics.rendered(duration: ContinuousClock.now - started)
                return rendered
            } catch let error as ImageProcessingError {
                switch error {
                case .libraryUnavailable: throw error
                case .notAnImage, .unsupportedFormat:
                    let accepted = configuration.acceptedFormats.map(\.label)
                    throw Rejection(reason: "\(error); it accepts \(EnglishList.or(accepted))")
                default: throw Rejection(reason: error.description)
                }
            }
        }
    }

    /// Writes the renditions (and the stripped original), then the record that names them; `held`:
    /// privately (under `held/`), with a record awaiting review.
    private func publish(
        _ rendered: RenderedPhoto, key: String, etag: String, uploadedAt: Date, title: Title, held: Bool = false
    ) async throws -> GalleryPhoto {
        func location(_ key: String) -> String { held ? SiteLayout.heldKey(key) : key }
        let id = GalleryPhoto.id(forKey: key)
        var renditions: [PublishedImage] = []
        for rendition in rendered.renditions {
            // The bytes' digest in the name: a key never changes its bytes, so caches may keep it forever.
            let image = PublishedImage(
                key: SiteLayout.renditionKey(id: id, width: rendition.width, digest: Self.digest(rendition.data)),
                width: rendition.width, height: rendition.height, bytes: rendition.data.count,
                contentType: "image/webp")
            try await store.put(
                key: location(image.key), body: rendition.data, contentType: image.contentType,
                cacheControl: Self.immutable)
            renditions.append(image)
        }
        var original: PublishedImage?
        if let stripped = rendered.original {
            let image = PublishedImage(
                key: SiteLayout.originalKey(
                    id: id, digest: Self.digest(stripped.data), fileExtension: stripped.fileExtension),
                width: rendered.width, height: rendered.height, bytes: stripped.data.count,
                contentType: stripped.mediaType)
            try await store.put(
                key: location(image.key), body: stripped.data, contentType: image.contentType,
                cacheControl: Self.immutable)
            original = image
        }
        let photo = GalleryPhoto(
            key: key, title: title, uploadedAt: uploadedAt, etag: etag, width: rendered.width,
            height: rendered.height, renditions: renditions,
            placeholder: "data:image/webp;base64," + rendered.placeholder.base64EncodedString(),
            takenAt: rendered.takenAt, original: original)
        if held {
            try await store.put(
                key: SiteLayout.reviewKey(id: id), body: PhotoRecord.encode(photo, standing: .awaitingReview),
                contentType: "application/json", cacheControl: "no-cache")
        } else {
            try await write(record: photo)
        }
        return photo
    }

    /// Deletes what an earlier publication of the key wrote and the new one does not use.
    private func deleteReplaced(_ previous: GalleryPhoto, by photo: GalleryPhoto, held: Bool = false) async throws {
        let kept = Set(photo.renditions.map(\.key) + [photo.original?.key].compactMap { $0 })
        for image in previous.renditions + [previous.original].compactMap({ $0 }) where !kept.contains(image.key) {
            try await store.delete(key: held ? SiteLayout.heldKey(image.key) : image.key)
        }
    }

    private func reject(key: String, reason: String) async throws -> UploadOutcome {
        try await store.delete(key: key)
        try await queue.remove(key: key)
        rejections.record(reason, for: key)
        logger.notice("rejected an upload", metadata: ["key": "\(key)", "reason": "\(reason)"])
        return .rejected(reason: reason)
    }

    /// The photo's record, or nil when there is none (or it is unreadable: the upload is made again).
    func storedRecord(id: String) async throws -> (photo: GalleryPhoto, standing: PhotoStanding)? {
        try await store.read(key: SiteLayout.recordKey(id: id), range: nil).flatMap(PhotoRecord.read)
    }

    /// The record of an upload awaiting review, or nil.
    func reviewRecord(id: String) async throws -> GalleryPhoto? {
        try await store.read(key: SiteLayout.reviewKey(id: id), range: nil).flatMap(PhotoRecord.read)?.photo
    }

    /// Runs `body` while no other processing of `key` runs in this process (operators' actions on a
    /// photo wait for a signal being processed, and the other way round).
    public func exclusively<T: Sendable>(_ key: String, _ body: @Sendable () async throws -> T) async throws -> T {
        try await serializer.run(key, body)
    }

    private func write(record photo: GalleryPhoto) async throws {
        try await store.put(
            key: SiteLayout.recordKey(id: photo.id), body: PhotoRecord.encode(photo), contentType: "application/json",
            cacheControl: "no-cache")
    }

    /// Ten hex digits of the SHA-256 of `data`.
    static func digest(_ data: Data) -> String { String(SHA256.hash(data: data).hexString.prefix(10)) }
}
