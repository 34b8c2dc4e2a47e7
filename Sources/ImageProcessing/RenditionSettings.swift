/// What renditions the gallery makes of each photo, and how large an upload it decodes.
public struct RenditionSettings: Sendable, Hashable {
    /// Widths of the WebP renditions, in pixels; a photo narrower than one gets its own width instead, never enlarged.
    public var widths: [Int] = [320, 640, 1280, 2048]
    /// WebP quality, 1–100.
    public var quality: Int = 75
    /// The most pixels (width × height, from the header) decoded; larger images are refused unread.
    public var maximumPixels: Int = 100_000_000
    /// Width of the tiny preview inlined in pages while a rendition loads.
    public var placeholderWidth: Int = 16
    /// Whether to make a full-size, metadata-free copy of the upload for a download link.
    public var publicOriginals = false

    /// The default settings.
    public init() {}

    /// The rendition widths for a photo `width` pixels wide (after orientation): each fixed width it
    /// exceeds, then its own width capped at the largest.
    public func widths(forSourceWidth width: Int) -> [Int] {
        let largest = widths.max() ?? width
        let top = min(width, largest)
        return widths.filter { $0 < top }.sorted() + [top]
    }
}
