public import Foundation

/// A full-size copy of an upload with its metadata removed, for a download link.
public struct StrippedOriginal: Sendable, Hashable {
    public let data: Data
    /// `image/jpeg`, or `image/png` for images with transparency.
    public let mediaType: String
    /// `jpg` or `png`.
    public let fileExtension: String
}
