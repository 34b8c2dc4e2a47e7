public import Foundation

/// One encoded rendition of a photo.
public struct Rendition: Sendable, Hashable {
    public let width: Int
    public let height: Int
    /// The WebP file, free of metadata.
    public let data: Data
}
