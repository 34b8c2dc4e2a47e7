/// An upload format the gallery decodes, named by the libvips loader that reads it.
public enum SourceFormat: String, Sendable, CaseIterable {
    case jpeg, png, webp, gif, heif

    /// The libvips loader classes that decode it from memory (PNG and GIF each have two, by build).
    var loaders: [String] {
        switch self {
        case .jpeg: ["VipsForeignLoadJpegBuffer"]
        case .png: ["VipsForeignLoadPngBuffer", "VipsForeignLoadSpngBuffer"]
        case .webp: ["VipsForeignLoadWebpBuffer"]
        case .gif: ["VipsForeignLoadNsgifBuffer", "VipsForeignLoadGifBuffer"]
        case .heif: ["VipsForeignLoadHeifBuffer"]
        }
    }

    /// The format libvips reads with the loader class `loader`, if the gallery accepts it.
    init?(loader: String) {
        guard let format = Self.allCases.first(where: { $0.loaders.contains(loader) }) else { return nil }
        self = format
    }

    /// MIME types a browser labels such files with (the upload form's `accept`).
    public var mediaTypes: [String] {
        switch self {
        case .jpeg: ["image/jpeg"]
        case .png: ["image/png"]
        case .webp: ["image/webp"]
        case .gif: ["image/gif"]
        case .heif: ["image/heic", "image/heif", "image/avif"]
        }
    }

    /// How people name it.
    public var label: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        case .gif: "GIF"
        case .heif: "HEIC/AVIF"
        }
    }
}
