/// Where every photo and page of the gallery goes. Pure arithmetic over the photos, oldest first.
///
/// Page files are counted from the oldest photo, so adding a photo never moves an existing photo
/// to another page: only the newest page grows (or a new one starts). The index shows the newest
/// photos. That keeps the work of one upload constant however large the gallery is.
public struct SiteLayout: Sendable {
    /// Every published photo, oldest first.
    public let photos: [GalleryPhoto]
    public let pageSize: Int

    public init(photos: [GalleryPhoto], pageSize: Int) {
        self.photos = photos
        self.pageSize = max(1, pageSize)
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

    /// Indices of the photos the index shows: the newest page's worth.
    public var indexPhotos: Range<Int> { max(0, photos.count - pageSize)..<photos.count }

    /// The bucket key of page `number`.
    public static func pageKey(_ number: Int) -> String { "page/\(number).html" }
    /// The bucket key of a photo's own page.
    public static func photoPageKey(_ photo: GalleryPhoto) -> String { "photo/\(photo.id).html" }

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
