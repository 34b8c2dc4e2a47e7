/// The publisher's next step: what brings a published photo onto the gallery's pages.
/// `RebuildScheduler` is the one the gallery runs (it coalesces requests into rebuilds by the
/// `Generator`).
public protocol PageUpdates: Sendable {
    /// Whether the pages show the upload of `key` already.
    func shows(key: String) async -> Bool
    /// Asks for the pages to show `photo` (added, or retitled).
    func show(_ photo: GalleryPhoto) async
}
