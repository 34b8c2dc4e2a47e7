import Crypto
import Foundation
import Logging
import SigV4

/// What a rebuild pass is asked to do: everything, or just these new or retitled photos.
public struct RebuildWork: Sendable, Hashable {
    public var full = false
    /// Check the bucket's manifest first (at start), rebuilding in full only when it is not current.
    public var startUp = false
    public var photos: [GalleryPhoto] = []

    public init(full: Bool = false, startUp: Bool = false, photos: [GalleryPhoto] = []) {
        self.full = full
        self.startUp = startUp
        self.photos = photos
    }
}
