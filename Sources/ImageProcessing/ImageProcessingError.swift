import Foundation

/// Why an image could not be made into renditions, in words an operator can act on.
public enum ImageProcessingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// libvips could not be opened or started: nothing can be decoded.
    case libraryUnavailable(String)
    /// The bytes are not an image libvips recognises.
    case notAnImage
    /// An image, but of a kind the gallery does not publish (SVG, PDF, TIFF, …).
    case unsupportedFormat(loader: String)
    /// More pixels than the gallery decodes (a decompression bomb, or just too big).
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// libvips failed to decode or encode it (truncated, damaged, …).
    case undecodable(String)

    public var description: String {
        switch self {
        case .libraryUnavailable(let why):
            "libvips is not available (\(why)): install it (Debian/Ubuntu: apt-get install libvips-dev; macOS: brew install vips), or name the library in GALLERY_LIBVIPS."
        case .notAnImage: "the file is not an image the gallery can read"
        case .unsupportedFormat(let loader):
            "the file is of a kind the gallery does not accept (\(loader.replacingOccurrences(of: "VipsForeignLoad", with: "")))"
        case .tooManyPixels(let width, let height, let limit):
            "the image is \(width) × \(height) pixels, more than the \(limit / 1_000_000) megapixels the gallery decodes"
        case .undecodable(let why): "the image could not be decoded: \(why)"
        }
    }
}
