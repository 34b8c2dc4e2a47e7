/// The manifest (`gallery.json`) as the bucket holds it now: the coordination point of every writer
/// of the gallery (instances sharing the bucket, `gallery regenerate`). A writer reads a version,
/// writes the next one only if the bucket still holds the one it read (`condition`), and when
/// another writer was first, reads again and redoes its change on top.
enum ManifestVersion: Sendable, Hashable {
    /// No manifest yet.
    case absent
    /// A manifest this version cannot read (damaged, or from a later version): a full rebuild replaces it.
    case unreadable(etag: String)
    /// The photos it lists, oldest first, and its entity tag.
    case loaded([GalleryPhoto], etag: String)

    /// Reads the current version: a HEAD for the entity tag, then the bytes. (Should the bytes be newer
    /// than the tag, the next conditional write fails and is retried: never a lost update.)
    static func read(from store: any ObjectStore) async throws -> ManifestVersion {
        guard let head = try await store.head(key: GalleryManifest.key) else { return .absent }
        guard let data = try await store.read(key: GalleryManifest.key, range: nil) else { return .absent }
        guard let photos = GalleryManifest.decode(data) else { return .unreadable(etag: head.etag) }
        return .loaded(photos, etag: head.etag)
    }

    /// The photos listed; none when absent or unreadable.
    var photos: [GalleryPhoto] {
        if case .loaded(let photos, _) = self { return photos }
        return []
    }

    /// The entity tag, when there is a manifest.
    var etag: String? {
        switch self {
        case .absent: nil
        case .unreadable(let etag), .loaded(_, let etag): etag
        }
    }

    /// The condition under which the next version may replace this one.
    var condition: WriteCondition { etag.map { .matches(etag: $0) } ?? .absent }

    /// The photos of `newer` that are not in `self` as they are there: added or retitled since.
    func changes(in newer: [GalleryPhoto]) -> [GalleryPhoto] {
        let known = Set(photos)
        return newer.filter { !known.contains($0) }
    }
}
