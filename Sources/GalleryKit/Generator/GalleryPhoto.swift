import Crypto
public import Foundation
import SigV4

/// A published photo: its title, and what the publisher made of its private original.
public struct GalleryPhoto: Sendable, Hashable {
    /// The original's key, under the private upload prefix (the presign answer's `key`).
    public let key: String
    public let title: Title
    public let uploadedAt: Date
    /// The original's ETag when its renditions were made: another upload to the key is made anew.
    public let etag: String
    /// The size as displayed (after the EXIF orientation), of the largest rendition.
    public let width: Int
    public let height: Int
    /// The WebP renditions, narrowest first.
    public let renditions: [PublishedImage]
    /// A `data:` URI of a tiny preview, shown blurred while a rendition loads.
    public let placeholder: String
    /// When the photo was taken, in the camera's local time (`yyyy-MM-ddTHH:mm:ss`), when known.
    public let takenAt: String?
    /// The metadata-free full-size copy, when originals are published.
    public let original: PublishedImage?
    /// A gap: the place of a photo taken off the gallery (removed, or hidden), kept so no later photo
    /// moves to another page. A gap has only its key and time; it shows on no page and in no feed.
    public let isGap: Bool

    public init(
        key: String, title: Title, uploadedAt: Date, etag: String, width: Int, height: Int,
        renditions: [PublishedImage], placeholder: String, takenAt: String? = nil, original: PublishedImage? = nil
    ) {
        self.init(
            key: key, title: title, uploadedAt: uploadedAt, etag: etag, width: width, height: height,
            renditions: renditions, placeholder: placeholder, takenAt: takenAt, original: original, isGap: false)
    }

    private init(
        key: String, title: Title, uploadedAt: Date, etag: String, width: Int, height: Int,
        renditions: [PublishedImage], placeholder: String, takenAt: String?, original: PublishedImage?, isGap: Bool
    ) {
        self.isGap = isGap
        self.key = key
        self.title = title
        self.uploadedAt = uploadedAt
        self.etag = etag
        self.width = width
        self.height = height
        self.renditions = renditions
        self.placeholder = placeholder
        self.takenAt = takenAt
        self.original = original
    }

    /// The gap a photo uploaded under `key` at `uploadedAt` leaves when it is taken off the gallery.
    public static func gap(key: String, uploadedAt: Date) -> GalleryPhoto {
        GalleryPhoto(
            key: key, title: .untitled, uploadedAt: uploadedAt, etag: "", width: 0, height: 0, renditions: [],
            placeholder: "", takenAt: nil, original: nil, isGap: true)
    }

    /// The gap this photo leaves when it is taken off the gallery.
    public var gap: GalleryPhoto { isGap ? self : Self.gap(key: key, uploadedAt: uploadedAt) }

    /// The same photo under another title.
    public func retitled(_ title: Title) -> GalleryPhoto {
        guard !isGap else { return self }
        return GalleryPhoto(
            key: key, title: title, uploadedAt: uploadedAt, etag: etag, width: width, height: height,
            renditions: renditions, placeholder: placeholder, takenAt: takenAt, original: original)
    }

    /// The same photo placed at another time (an upload approved after review takes its place then).
    public func placed(at date: Date) -> GalleryPhoto {
        GalleryPhoto(
            key: key, title: title, uploadedAt: date, etag: etag, width: width, height: height,
            renditions: renditions, placeholder: placeholder, takenAt: takenAt, original: original, isGap: isGap)
    }

    /// The photo as the manifest lists it: without the upload's ETag, which stays in the private
    /// record. Photos read back from the manifest are like this, so compare these.
    public var listed: GalleryPhoto {
        etag.isEmpty || isGap
            ? self
            : GalleryPhoto(
                key: key, title: title, uploadedAt: uploadedAt, etag: "", width: width, height: height,
                renditions: renditions, placeholder: placeholder, takenAt: takenAt, original: original)
    }

    /// Every image made of the photo: its renditions and, when published, its stripped original.
    public var images: [PublishedImage] { renditions + (original.map { [$0] } ?? []) }

    /// The largest rendition (what feeds link and photo pages start from).
    public var largest: PublishedImage? { renditions.last }

    /// A short name for the photo's files: the key's last part when it is plain, else a hash of the key.
    public var id: String { Self.id(forKey: key) }

    /// The id of the photo uploaded under `key`.
    public static func id(forKey key: String) -> String {
        let last = key.split(separator: "/").last.map(String.init) ?? key
        let plain =
            last.utf8.count <= 100
            && last.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
        return plain && !last.isEmpty ? last : String(SHA256.hash(data: Data(key.utf8)).hexString.prefix(32))
    }

    /// Oldest first; ties broken by key so the order is stable.
    public static func oldestFirst(_ lhs: GalleryPhoto, _ rhs: GalleryPhoto) -> Bool {
        lhs.uploadedAt != rhs.uploadedAt ? lhs.uploadedAt < rhs.uploadedAt : lhs.key < rhs.key
    }
}
