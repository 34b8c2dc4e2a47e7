/// The manifest (`gallery.json` and the parts it names) as the bucket holds it now: the coordination
/// point of every writer of the gallery (instances sharing the bucket, `gallery regenerate`). A writer
/// reads a version, writes the next one only if the bucket still holds the one it read (`condition`),
/// and when another writer was first, reads again and redoes its change on top.
enum ManifestVersion: Sendable {
    /// No manifest yet.
    case absent
    /// A manifest this version cannot read (damaged, a part missing, or from another version): a full
    /// rebuild replaces it.
    case unreadable(etag: String)
    /// The photos in their parts, the entity tag of `gallery.json`, and the fingerprint of what rendered it.
    case loaded(ManifestParts, etag: String, fingerprint: String?)

    /// The parts, when the manifest was read.
    var parts: ManifestParts? {
        if case .loaded(let parts, _, _) = self { return parts }
        return nil
    }

    /// The photos listed, oldest first; none when absent or unreadable.
    var photos: [GalleryPhoto] { parts?.photos ?? [] }

    /// The entity tag of `gallery.json`, when there is one.
    var etag: String? {
        switch self {
        case .absent: nil
        case .unreadable(let etag), .loaded(_, let etag, _): etag
        }
    }

    /// The condition under which the next version may replace this one.
    var condition: WriteCondition { etag.map { .matches(etag: $0) } ?? .absent }

    /// Adds or replaces `changed` photos in place: the parts are taken out of `self` first, so their
    /// 100,000 photos (say) are not copied. The entity tag stays the one read: this is the next
    /// version, not yet written.
    mutating func apply(_ changed: [GalleryPhoto]) {
        guard case .loaded(var parts, let etag, let fingerprint) = self else { return }
        self = .absent
        parts.apply(changed)
        self = .loaded(parts, etag: etag, fingerprint: fingerprint)
    }

    /// What the next version needs to know of this one.
    var basis: ManifestBasis { ManifestBasis(etag: etag, fileKeys: parts?.fileKeys ?? []) }

    /// The photos of `newer` that are not in `self` as they are there: added or retitled since.
    func changes(in newer: [GalleryPhoto]) -> [GalleryPhoto] {
        let known = Set(photos)
        return newer.filter { !known.contains($0) }
    }
}
