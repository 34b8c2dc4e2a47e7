/// What an upload is, classified once from its bytes: the loader libvips found for them (one the
/// gallery accepts, and the only one that will read them), its format, and the first frame's size.
public struct ImageHeader: Sendable, Hashable {
    /// The format the gallery accepts the upload as.
    public let format: SourceFormat
    /// The libvips loader that reads it ("VipsForeignLoadJpegBuffer", …).
    public let loader: String
    /// The first frame's size in pixels (the frame that is decoded).
    public let width: Int
    public let height: Int
    /// Whether it embeds an ICC profile (its pixels reach sRGB through it).
    public let hasICCProfile: Bool

    /// The longer side, in pixels.
    public var longerSide: Int { max(width, height) }
}
