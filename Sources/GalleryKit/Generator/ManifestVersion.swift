/// The manifest (`gallery.json`) as the bucket holds it now: the coordination point of every writer
/// of the gallery (instances sharing the bucket, `gallery regenerate`). A writer reads a version,
/// writes the next one only if the bucket still holds the one it read (`condition`), and when
/// another writer was first, reads again and redoes its change on top.
enum ManifestVersion: Sendable, Hashable {
    /// No manifest yet.
    case absent
    /// A manifest this version cannot read (damaged, or from a later version): a full rebuild replaces it.
    case unreadable(etag: String)
    /// The photos it lists, oldest first, its entity tag, and the fingerprint of what rendered it.
    case loaded([GalleryPhoto], etag: String, fingerprint: String?)

    /// Reads the current version: the bytes and their entity tag in one read, so a version is never
    /// the bytes of one write under the tag of another (then a conditional write could pass over a
    /// change it never saw).
    static func read(from store: any ObjectStore) async throws -> ManifestVersion {
        guard let (data, etag) = try await store.readVersion(key: GalleryManifest.key) else { return .absent }
        guard let contents = GalleryManifest.contents(of: data) else { return .unreadable(etag: etag) }
        return .loaded(contents.photos, etag: etag, fingerprint: contents.fingerprint)
    }

    /// The photos listed; none when absent or unreadable.
    var photos: [GalleryPhoto] {
        if case .loaded(let photos, _, _) = self { return photos }
        return []
    }

    /// The entity tag, when there is a manifest.
    var etag: String? {
        switch self {
        case .absent: nil
        case .unreadable(let etag), .loaded(_, let etag, _): etag
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
