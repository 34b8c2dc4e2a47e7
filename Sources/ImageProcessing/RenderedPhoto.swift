public import Foundation

/// Everything the service makes from one upload: only these bytes are ever public.
public struct RenderedPhoto: Sendable, Hashable {
    /// What the upload was.
    public let format: SourceFormat
    /// The size as displayed (after the EXIF orientation) of the largest rendition.
    public let width: Int
    public let height: Int
    /// WebP renditions, narrowest first.
    public let renditions: [Rendition]
    /// A tiny WebP (a few hundred bytes at most) shown blurred while a rendition loads.
    public let placeholder: Data
    /// When the photo was taken, as the camera's local time `yyyy-MM-ddTHH:mm:ss`, when EXIF says.
    public let takenAt: String?
    /// The metadata-free full-size copy, when asked for.
    public let original: StrippedOriginal?
}
