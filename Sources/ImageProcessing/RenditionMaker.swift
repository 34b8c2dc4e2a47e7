import CVipsShim
public import Foundation

/// Decodes an upload with libvips and makes its renditions. Blocking and CPU-bound: call it off the
/// concurrency pool, one image per core at a time.
///
/// Only the loaders of `SourceFormat` ever read an upload, and only after its header has been read
/// and its size checked, so a small file that claims a huge image is refused before any pixel is
/// decoded. Renditions are oriented, 8-bit sRGB, stripped of every metadata field.
public struct RenditionMaker: Sendable {
    public let settings: RenditionSettings

    /// Starts libvips (once per process); throws `.libraryUnavailable` when it is not installed.
    public init(settings: RenditionSettings = RenditionSettings()) throws(ImageProcessingError) {
        try Vips.start()
        self.settings = settings
    }

    /// libvips' version.
    public var libraryVersion: String { String(cString: vips_shim_version()) }

    /// The formats this libvips decodes (HEIC/AVIF only where it was built with libheif).
    public var acceptedFormats: [SourceFormat] {
        SourceFormat.allCases.filter { $0.loaders.contains { vips_shim_has_operation($0) != 0 } }
    }

    /// Classifies an encoded image once: the loader libvips finds for it (refused unless the gallery
    /// decodes that format), then its header, read by that loader, its size checked against
    /// `settings.maximumPixels`.
    public func inspect(_ data: Data) throws(ImageProcessingError) -> ImageHeader {
        let result: Result<ImageHeader, ImageProcessingError> = data.withUnsafeBytes { bytes in
            guard let found = vips_shim_find_loader(bytes.baseAddress, bytes.count) else {
                return .failure(.notAnImage)
            }
            let loader = String(cString: found)
            guard let format = SourceFormat(loader: loader) else {
                return .failure(.unsupportedFormat(loader: loader))
            }
            var header = vips_shim_header()
            guard vips_shim_read_header(loader, bytes.baseAddress, bytes.count, &header) == 0 else {
                return .failure(.undecodable(Vips.takeError()))
            }
            // The header gives one frame's size (the first is what is decoded), whatever the frame count.
            return .success(
                ImageHeader(
                    format: format, loader: loader, width: Int(header.width), height: Int(header.height),
                    hasICCProfile: header.has_icc_profile != 0))
        }
        let header = try result.get()
        guard header.width > 0, header.height > 0 else { throw .undecodable("the header gives no size") }
        guard header.width.multipliedReportingOverflow(by: header.height).partialValue <= settings.maximumPixels,
            header.width <= 1_000_000, header.height <= 1_000_000
        else {
            throw .tooManyPixels(width: header.width, height: header.height, limit: settings.maximumPixels)
        }
        return header
    }

    /// Decodes `data` and makes every rendition, the placeholder and (if asked) the stripped original.
    public func make(from data: Data) throws(ImageProcessingError) -> RenderedPhoto {
        let header = try inspect(data)
        let result: Result<RenderedPhoto, ImageProcessingError> = data.withUnsafeBytes { bytes in
            Result { () throws(ImageProcessingError) in
                let largest = min(settings.widths.max() ?? header.longerSide, Self.maximumWebPSide)
                let base = try VipsImage.decode(
                    bytes, header: header,
                    options: Self.loaderOptions(header.format, longerSide: header.longerSide, target: largest),
                    width: largest, height: largest)
                let takenAt = base.stringField("exif-ifd2-DateTimeOriginal").flatMap(Self.exifDate)
                base.removeMetadata()
                var renditions: [Rendition] = []
                for target in settings.widths(forSourceWidth: base.size.width) {
                    let image = target >= base.size.width ? base : try base.shrunk(to: target)
                    renditions.append(
                        Rendition(
                            width: image.size.width, height: image.size.height,
                            data: try image.webp(quality: settings.quality, effort: settings.effort)))
                }
                let placeholder = try base.shrunk(to: settings.placeholderWidth).webp(quality: 30, effort: 4)
                var original: StrippedOriginal?
                if settings.publicOriginals {
                    // Decoded a second time, at full size: only with --public-originals.
                    let full = try VipsImage.decode(
                        bytes, header: header, options: Self.failOnTruncated, width: header.longerSide,
                        height: header.longerSide)
                    full.removeMetadata()
                    original = try full.strippedOriginal()
                }
                return RenderedPhoto(
                    format: header.format, width: base.size.width, height: base.size.height, renditions: renditions,
                    placeholder: placeholder, takenAt: takenAt, original: original)
            }
        }
        return try result.get()
    }

    /// The most pixels a WebP image has on a side.
    static let maximumWebPSide = 16383

    /// A cut-short file is refused instead of filled with grey.
    static let failOnTruncated = "fail_on=truncated"

    /// The loader options for decoding toward `target` pixels: a JPEG whose longer side is at least
    /// twice (four, eight times) nine tenths of the target is decoded at half (a quarter, an eighth)
    /// size by the decoder itself, which skips most of the work; libvips' own choice keeps a factor
    /// of two in hand, so a 4000 px photo bound for 2048 would be decoded whole.
    static func loaderOptions(_ format: SourceFormat, longerSide: Int, target: Int) -> String {
        guard format == .jpeg,
            let factor = [8, 4, 2].first(where: { longerSide / $0 * 10 >= target * 9 })
        else { return failOnTruncated }
        return failOnTruncated + ",shrink=\(factor)"
    }

    /// `yyyy-MM-ddTHH:mm:ss` from libvips' rendering of an EXIF date (`2024:06:01 10:20:30 (…)`).
    static func exifDate(_ field: String) -> String? {
        let bytes = Array(field.utf8.prefix(19))
        guard bytes.count == 19 else { return nil }
        var out: [UInt8] = []
        for (index, byte) in bytes.enumerated() {
            switch index {
            case 4, 7:
                guard byte == UInt8(ascii: ":") else { return nil }
                out.append(UInt8(ascii: "-"))
            case 10:
                guard byte == UInt8(ascii: " ") else { return nil }
                out.append(UInt8(ascii: "T"))
            case 13, 16:
                guard byte == UInt8(ascii: ":") else { return nil }
                out.append(byte)
            default:
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                out.append(byte)
            }
        }
        let text = String(decoding: out, as: UTF8.self)
        // Cameras without a clock write zeros.
        return text.hasPrefix("0000") ? nil : text
    }
}
