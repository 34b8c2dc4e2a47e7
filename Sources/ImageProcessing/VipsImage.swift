import CVipsShim
import Foundation

/// A decoded image held by libvips, released when the last reference goes.
final class VipsImage {
    private let pointer: OpaquePointer

    private init(_ pointer: OpaquePointer) { self.pointer = pointer }

    deinit { vips_shim_release(pointer) }

    /// Decodes `bytes`, classified as `header` says, with its loader and the loader `options`
    /// (oriented, 8-bit sRGB, in memory) to fit `width` × `height` pixels.
    static func decode(
        _ bytes: UnsafeRawBufferPointer, header: ImageHeader, options: String, width: Int, height: Int
    ) throws(ImageProcessingError) -> VipsImage {
        var out: OpaquePointer?
        let decoded = vips_shim_decode(
            header.loader, bytes.baseAddress, bytes.count, options, Int32(width), Int32(height),
            header.hasICCProfile ? 1 : 0, &out)
        guard decoded == 0, let out else {
            throw .undecodable(Vips.takeError())
        }
        return VipsImage(out)
    }

    /// Width and height in pixels.
    var size: (width: Int, height: Int) {
        var width: Int32 = 0
        var height: Int32 = 0
        vips_shim_size(pointer, &width, &height)
        return (Int(width), Int(height))
    }

    /// A copy at most `width` pixels wide.
    func shrunk(to width: Int) throws(ImageProcessingError) -> VipsImage {
        var out: OpaquePointer?
        guard vips_shim_shrink(pointer, Int32(width), &out) == 0, let out else { throw .undecodable(Vips.takeError()) }
        return VipsImage(out)
    }

    /// A string metadata field, when present.
    func stringField(_ name: String) -> String? {
        guard let value = vips_shim_string_field(pointer, name) else { return nil }
        defer { vips_shim_free(value) }
        return String(cString: value)
    }

    /// Drops every metadata field: what is saved after this carries pixels only.
    func removeMetadata() { vips_shim_remove_metadata(pointer) }

    /// Lossy WebP at `quality` and `effort`.
    func webp(quality: Int, effort: Int) throws(ImageProcessingError) -> Data {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        guard vips_shim_save_webp(pointer, Int32(quality), Int32(effort), &bytes, &length) == 0, let bytes else {
            throw .undecodable(Vips.takeError())
        }
        defer { vips_shim_free(bytes) }
        return Data(bytes: bytes, count: length)
    }

    /// A full-size JPEG, or PNG when the image has transparency.
    func strippedOriginal() throws(ImageProcessingError) -> StrippedOriginal {
        var bytes: UnsafeMutableRawPointer?
        var length = 0
        var isPNG: Int32 = 0
        guard vips_shim_save_original(pointer, 90, &bytes, &length, &isPNG) == 0, let bytes else {
            throw .undecodable(Vips.takeError())
        }
        defer { vips_shim_free(bytes) }
        let data = Data(bytes: bytes, count: length)
        return isPNG != 0
            ? StrippedOriginal(data: data, mediaType: "image/png", fileExtension: "png")
            : StrippedOriginal(data: data, mediaType: "image/jpeg", fileExtension: "jpg")
    }
}
