/// What writing the next version of the manifest needs to know of the one it replaces: the entity
/// tag `gallery.json` must still have, and the files it named (those the next one does not name are
/// retired). Small, so a writer can let go of the version's photos and change them in place.
struct ManifestBasis: Sendable, Hashable {
    /// The entity tag of `gallery.json`; nil when there was none.
    var etag: String?
    /// The parts and archive the version named.
    var fileKeys: Set<String>

    /// The condition under which the next version may replace this one.
    var condition: WriteCondition { etag.map { .matches(etag: $0) } ?? .absent }
}
