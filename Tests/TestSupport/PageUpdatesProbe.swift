public import GalleryKit

/// The publisher's next step, for tests: what it asks is handed to closures.
public struct PageUpdatesProbe: PageUpdates {
    private let isShown: @Sendable (String) async -> Bool
    private let onShow: @Sendable (GalleryPhoto) async -> Void

    /// `isShown` answers `shows(key:)` (by default: every key is shown); `onShow` receives each photo.
    public init(
        isShown: @escaping @Sendable (String) async -> Bool = { _ in true },
        onShow: @escaping @Sendable (GalleryPhoto) async -> Void = { _ in }
    ) {
        self.isShown = isShown
        self.onShow = onShow
    }

    public func shows(key: String) async -> Bool { await isShown(key) }
    public func show(_ photo: GalleryPhoto) async { await onShow(photo) }
}
