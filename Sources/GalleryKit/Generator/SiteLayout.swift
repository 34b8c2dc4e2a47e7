/// Where every photo and page of the gallery goes. Pure arithmetic over the photos, oldest first.
///
/// Page files are counted from the oldest photo, so adding a photo never moves an existing photo
/// to another page: only the newest page grows (or a new one starts). A photo taken off the gallery
/// leaves a gap (its page shows one photo fewer) rather than move every later photo up. The index
/// shows the newest photos. That keeps the work of one upload or take-down constant however large
/// the gallery is.
public struct SiteLayout: Sendable {
    /// Every published photo, oldest first.
    public let photos: [GalleryPhoto]
    public let pageSize: Int

    /// Photos shown: every one but the gaps that photos taken off the gallery left.
    public let shownCount: Int

    public init(photos: [GalleryPhoto], pageSize: Int) {
        self.photos = photos
        self.pageSize = max(1, pageSize)
        shownCount = photos.count(where: { !$0.isGap })
    }

    /// The nearest shown photo newer than the one at `index`.
    public func newerShown(than index: Int) -> Int? {
        photos.indices[(index + 1)...].first { !photos[$0].isGap }
    }

    /// The nearest shown photo older than the one at `index`.
    public func olderShown(than index: Int) -> Int? {
        photos.indices[..<max(0, index)].last { !photos[$0].isGap }
    }

    /// The shown photos among the positions `range`, oldest first.
    public func shown(in range: Range<Int>) -> [Int] { range.filter { !photos[$0].isGap } }

    /// The newest `count` shown photos, newest first.
    public func newestShown(_ count: Int) -> [GalleryPhoto] {
        var found: [GalleryPhoto] = []
        var index = photos.count - 1
        while index >= 0, found.count < count {
            if !photos[index].isGap { found.append(photos[index]) }
            index -= 1
        }
        return found
    }

    /// Pages of photos (at least one, empty for an empty gallery).
    public var pageCount: Int { max(1, (photos.count + pageSize - 1) / pageSize) }

    /// The page (1-based) photo `index` is on.
    public func page(of index: Int) -> Int { index / pageSize + 1 }

    /// The positions of the photos uploaded under `keys`.
    public func indices(of keys: Set<String>) -> [Int] { photos.indices.filter { keys.contains(photos[$0].key) } }

    /// Indices of the photos on page `number`.
    public func photos(onPage number: Int) -> Range<Int> {
        let start = (number - 1) * pageSize
        return min(start, photos.count)..<min(start + pageSize, photos.count)
    }

    /// Places of the photos the index shows: the newest page's worth of shown photos (past any gaps
    /// the newest photos taken down left).
    public var indexPhotos: Range<Int> {
        var start = photos.count
        var shown = 0
        while start > 0, shown < pageSize {
            start -= 1
            if !photos[start].isGap { shown += 1 }
        }
        return start..<photos.count
    }

    /// The bucket key of page `number`.
    public static func pageKey(_ number: Int) -> String { "page/\(number).html" }
    /// The bucket key of a photo's own page.
    public static func photoPageKey(_ photo: GalleryPhoto) -> String { photoPageKey(uploadKey: photo.key) }

    /// The photo page of the upload at `uploadKey`, once it is published.
    public static func photoPageKey(uploadKey: String) -> String { "photo/\(GalleryPhoto.id(forKey: uploadKey)).html" }

    /// Where renditions go (public): `img/<id>/<width>-<digest>.webp`.
    public static let renditionFolder = "img/"
    /// Where stripped originals go (public only with `--public-originals`): `original/<id>-<digest>.<ext>`.
    public static let originalFolder = "original/"
    /// Where each published photo's record goes (private): what a full rebuild reads.
    public static let recordFolder = "records/"

    /// The key of photo `id`'s rendition `width` pixels wide, whose bytes have `digest`.
    public static func renditionKey(id: String, width: Int, digest: String) -> String {
        "\(renditionFolder)\(id)/\(width)-\(digest).webp"
    }
    /// The key of photo `id`'s stripped original, whose bytes have `digest`.
    public static func originalKey(id: String, digest: String, fileExtension: String) -> String {
        "\(originalFolder)\(id)-\(digest).\(fileExtension)"
    }
    /// The key of photo `id`'s record.
    public static func recordKey(id: String) -> String { "\(recordFolder)\(id).json" }
    /// Where the records of uploads awaiting review go (private).
    public static let reviewFolder = "review/"
    /// The key of the record of upload `id` awaiting review.
    public static func reviewKey(id: String) -> String { "\(reviewFolder)\(id).json" }
    /// Where renditions wait while not public (hidden, or awaiting review): `held/<public key>`.
    public static let heldFolder = "held/"
    /// Where the image public at `key` waits while it is not public.
    public static func heldKey(_ key: String) -> String { heldFolder + key }

    /// Where photo `index` goes among `photos` (oldest first; ties by key).
    public static func insertionIndex(of photo: GalleryPhoto, in photos: [GalleryPhoto]) -> Int {
        var low = 0
        var high = photos.count
        while low < high {
            let middle = (low + high) / 2
            if GalleryPhoto.oldestFirst(photos[middle], photo) { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
