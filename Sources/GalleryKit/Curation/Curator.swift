public import Foundation
public import Logging
import SigV4

/// An operator's hand on the gallery: take a photo down (`remove`), take it off reversibly (`hide`,
/// `unhide`), and decide on uploads awaiting review (`approve`, `reject`).
///
/// Every action on a key waits for the publisher's work on the same key in this process, and takes
/// the photo off the pages first (through the generator, at constant cost: see `Generator.withdraw`),
/// then records its standing (so a full rebuild keeps it so), then moves or deletes its files, so a
/// crash between steps is mended by doing the action again.
public struct Curator: Sendable {
    public let store: any ObjectStore
    public let queue: any JobQueue
    public let generator: Generator
    public let publisher: Publisher
    public let configuration: GalleryConfiguration
    private let logger: Logger

    public init(
        store: any ObjectStore, queue: any JobQueue, generator: Generator, publisher: Publisher,
        configuration: GalleryConfiguration, logger: Logger = Logger(label: "gallery.curator")
    ) {
        self.store = store
        self.queue = queue
        self.generator = generator
        self.publisher = publisher
        self.configuration = configuration
        self.logger = logger
    }

    /// The upload key `text` names: an upload key as the presign answer gives it, or a photo's id.
    public func uploadKey(_ text: String) throws(CurationError) -> String {
        let key = text.hasPrefix(configuration.uploadPrefix) ? text : configuration.uploadPrefix + text
        guard publisher.isUpload(key),
            GalleryPhoto.id(forKey: key) == String(key.dropFirst(configuration.uploadPrefix.count))
        else { throw .notAnUpload(text) }
        return key
    }

    /// Takes the photo of `key` down: off the gallery (its place kept as a gap), its renditions, its
    /// public original and its record's details deleted, and its upload too unless `keepOriginal`.
    /// Also a pending upload (its job is dropped) or one awaiting review: a later signal for the key
    /// never publishes it. Returns the photo as it was shown or waiting, when there was one.
    @discardableResult
    public func remove(_ key: String, keepOriginal: Bool = false) async throws -> GalleryPhoto? {
        try await requireSameSettings()
        let id = GalleryPhoto.id(forKey: key)
        return try await publisher.exclusively(key) {
            let stored = try await publisher.storedRecord(id: id).flatMap { $0.photo.key == key ? $0 : nil }
            let waiting = try await publisher.reviewRecord(id: id)
            let upload = try await store.head(key: key)
            let job = try await queue.job(for: key)
            guard stored != nil || waiting != nil || upload != nil || job != nil else {
                throw CurationError.unknown(key)
            }
            // Taken down already (the record that says so is written last): only an original kept
            // then may be left to delete. A manage link posted again costs a few lookups, no more.
            if stored?.standing == .removed, waiting == nil, job == nil {
                if !keepOriginal, upload != nil { try await store.delete(key: key) }
                return nil
            }
            // Off the pages first; a photo processed but not listed yet gets its gap all the same.
            let place = stored?.photo.uploadedAt ?? waiting?.uploadedAt ?? upload?.lastModified ?? Date()
            try await generator.withdraw(keys: [key], placedAt: stored.map { [key: $0.photo.uploadedAt] } ?? [:])
            // Then the files, while the record still names them (doing it again finishes the job),
            for photo in [stored?.photo, waiting].compactMap({ $0 }) {
                for image in photo.images {
                    try await store.delete(key: image.key)
                    try await store.delete(key: SiteLayout.heldKey(image.key))
                }
            }
            try await deleteAll(under: SiteLayout.renditionFolder + id + "/")
            try await deleteAll(under: SiteLayout.heldKey(SiteLayout.renditionFolder + id + "/"))
            try await store.delete(key: SiteLayout.reviewKey(id: id))
            if job != nil { try await queue.remove(key: key) }
            if !keepOriginal { try await store.delete(key: key) }
            // and last the record that keeps only its place: a later signal finds it taken down.
            if stored?.standing != .removed {
                try await writeRecord(GalleryPhoto.gap(key: key, uploadedAt: place), standing: .removed)
            }
            logger.notice("removed a photo", metadata: ["key": "\(key)", "keptOriginal": "\(keepOriginal)"])
            return stored.flatMap { $0.standing == .removed ? nil : $0.photo } ?? waiting
        }
    }

    /// Takes the shown photo of `key` off the gallery reversibly: its place is kept, its renditions
    /// (and public original) wait privately under `held/` until `unhide`.
    @discardableResult
    public func hide(_ key: String) async throws -> GalleryPhoto {
        try await requireSameSettings()
        let id = GalleryPhoto.id(forKey: key)
        return try await publisher.exclusively(key) {
            guard let stored = try await publisher.storedRecord(id: id), stored.photo.key == key else {
                throw CurationError.unknown(key)
            }
            guard stored.standing == .shown || stored.standing == .hidden else {
                throw CurationError.wrongStanding(key, expected: "shown")
            }
            try await generator.withdraw(keys: [key], placedAt: [key: stored.photo.uploadedAt])
            if stored.standing == .shown { try await writeRecord(stored.photo, standing: .hidden) }
            for image in stored.photo.images {
                try await move(image, from: image.key, to: SiteLayout.heldKey(image.key))
            }
            logger.notice("hid a photo", metadata: ["key": "\(key)"])
            return stored.photo
        }
    }

    /// Puts the hidden photo of `key` back in its place.
    @discardableResult
    public func unhide(_ key: String) async throws -> GalleryPhoto {
        try await requireSameSettings()
        let id = GalleryPhoto.id(forKey: key)
        return try await publisher.exclusively(key) {
            guard let stored = try await publisher.storedRecord(id: id), stored.photo.key == key else {
                throw CurationError.unknown(key)
            }
            guard stored.standing == .hidden || stored.standing == .shown else {
                throw CurationError.wrongStanding(key, expected: "hidden")
            }
            for image in stored.photo.images {
                try await move(image, from: SiteLayout.heldKey(image.key), to: image.key)
            }
            if stored.standing == .hidden { try await writeRecord(stored.photo, standing: .shown) }
            try await generator.restore([stored.photo])
            logger.notice("unhid a photo", metadata: ["key": "\(key)"])
            return stored.photo
        }
    }

    /// Publishes the upload of `key` awaiting review, placed at `now` (the newest photo). The upload
    /// is tagged with that time (`UploadedAt`), so making its renditions again keeps its place.
    @discardableResult
    public func approve(_ key: String, now: Date = Date()) async throws -> GalleryPhoto {
        try await requireSameSettings()
        let id = GalleryPhoto.id(forKey: key)
        return try await publisher.exclusively(key) {
            guard let waiting = try await publisher.reviewRecord(id: id), waiting.key == key else {
                throw CurationError.wrongStanding(key, expected: "awaiting review")
            }
            let earlier = try await publisher.storedRecord(id: id).flatMap { $0.photo.key == key ? $0 : nil }
            // Approved before and stopped half way: keep the place it was given then.
            let placedAt =
                earlier.flatMap { $0.photo.etag == waiting.etag && $0.standing == .shown ? $0.photo.uploadedAt : nil }
                ?? now
            let photo = waiting.placed(at: placedAt)
            for image in photo.images { try await move(image, from: SiteLayout.heldKey(image.key), to: image.key) }
            // An upload posted again over a shown photo: what the earlier one made and this does not use goes.
            if let earlier {
                let kept = Set(photo.images.map(\.key))
                for image in earlier.photo.images where !kept.contains(image.key) {
                    try await store.delete(key: image.key)
                }
            }
            if let tags = try? await store.tags(key: key) {
                let time = ObjectTag(key: Publisher.uploadedAtTag, value: AmzDate(placedAt).iso8601)
                try await store.putTags(tags.filter { $0.key != Publisher.uploadedAtTag } + [time], key: key)
            }
            try await writeRecord(photo, standing: .shown)
            try await generator.restore([photo])
            // Last: doing it again after a stop before this line finishes it.
            try await store.delete(key: SiteLayout.reviewKey(id: id))
            logger.notice("approved an upload", metadata: ["key": "\(key)"])
            return photo
        }
    }

    /// Refuses the upload of `key` awaiting review: its renditions, its record and the upload are
    /// deleted. When it was posted over a photo already shown, that photo's original is gone with
    /// it, so the photo is taken down too (as `remove` does).
    @discardableResult
    public func reject(_ key: String) async throws -> GalleryPhoto {
        let id = GalleryPhoto.id(forKey: key)
        let waiting = try await publisher.exclusively(key) {
            guard let waiting = try await publisher.reviewRecord(id: id), waiting.key == key else {
                throw CurationError.wrongStanding(key, expected: "awaiting review")
            }
            for image in waiting.images { try await store.delete(key: SiteLayout.heldKey(image.key)) }
            try await store.delete(key: key)
            try await store.delete(key: SiteLayout.reviewKey(id: id))
            logger.notice("rejected an upload in review", metadata: ["key": "\(key)"])
            return waiting
        }
        if let earlier = try await publisher.storedRecord(id: id), earlier.photo.key == key,
            earlier.standing == .shown || earlier.standing == .hidden
        {
            try await remove(key)
        }
        return waiting
    }

    /// The uploads awaiting review, oldest first: at most `limit` of them (the review page's share;
    /// reading each costs a request), and how many there are in all.
    public func awaitingReview(limit: Int = .max) async throws -> (photos: [GalleryPhoto], total: Int) {
        let objects = try await store.listAll(prefix: SiteLayout.reviewFolder).sorted {
            $0.lastModified != $1.lastModified ? $0.lastModified < $1.lastModified : $0.key < $1.key
        }
        var photos: [GalleryPhoto] = []
        for object in objects.prefix(limit) {
            guard let data = try await store.read(key: object.key, range: nil),
                let (photo, standing) = PhotoRecord.read(data), standing == .awaitingReview
            else { continue }
            photos.append(photo)
        }
        return (photos.sorted(by: GalleryPhoto.oldestFirst), objects.count)
    }

    /// Where the upload of `key` stands, when it was processed.
    public func standing(of key: String) async throws -> (photo: GalleryPhoto, standing: PhotoStanding)? {
        let id = GalleryPhoto.id(forKey: key)
        if let stored = try await publisher.storedRecord(id: id), stored.photo.key == key { return stored }
        return try await publisher.reviewRecord(id: id).flatMap { $0.key == key ? ($0, .awaitingReview) : nil }
    }

    /// Throws unless the bucket's pages were made with this gallery's theme and settings.
    private func requireSameSettings() async throws {
        guard try await generator.rendersLikeTheBucket() else { throw CurationError.otherSettings }
    }

    // MARK: Files

    private func writeRecord(_ photo: GalleryPhoto, standing: PhotoStanding) async throws {
        try await store.put(
            key: SiteLayout.recordKey(id: photo.id), body: PhotoRecord.encode(photo, standing: standing),
            contentType: "application/json", cacheControl: "no-cache")
    }

    /// Moves an image between its public and its held place; one already moved is left as it is.
    private func move(_ image: PublishedImage, from source: String, to destination: String) async throws {
        guard let data = try await store.read(key: source, range: nil) else { return }
        try await store.put(
            key: destination, body: data, contentType: image.contentType, cacheControl: Publisher.immutable)
        try await store.delete(key: source)
    }

    private func deleteAll(under prefix: String) async throws {
        for object in try await store.listAll(prefix: prefix) { try await store.delete(key: object.key) }
    }
}
