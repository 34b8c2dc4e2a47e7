/// What renditions the gallery makes of each photo, and how large an upload it decodes.
public struct RenditionSettings: Sendable, Hashable {
    /// Widths of the WebP renditions, in pixels; a photo narrower than one gets its own width instead,
    /// never enlarged. The largest rendition fits a square of the largest width (a portrait photo's is
    /// as tall as a landscape photo's is wide), less up to a tenth where the decoder can scale a JPEG
    /// down on load by a power of two.
    public var widths: [Int] = [320, 640, 1280, 2048]
    /// WebP quality, 1–100.
    public var quality: Int = 75
    /// WebP effort, 0–6: 2 encodes a 12 MP photo's renditions about three times as fast as libvips'
    /// default 4, for files about a tenth larger.
    public var effort: Int = 2
    /// The most pixels (width × height, from the header) decoded; larger images are refused unread.
    public var maximumPixels: Int = 100_000_000
    /// Width of the tiny preview inlined in pages while a rendition loads.
    public var placeholderWidth: Int = 16
    /// Whether to make a full-size, metadata-free copy of the upload for a download link.
    public var publicOriginals = false

    /// The default settings.
    public init() {}

    /// The rendition widths for a photo `width` pixels wide as decoded (after orientation, within the
    /// largest width's square): each fixed width it exceeds, then its own width.
    public func widths(forSourceWidth width: Int) -> [Int] {
        let largest = widths.max() ?? width
        let top = min(width, largest)
        return widths.filter { $0 < top }.sorted() + [top]
    }
}
