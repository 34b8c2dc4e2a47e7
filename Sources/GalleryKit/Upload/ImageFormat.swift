import Foundation

/// The raster image formats the gallery publishes, told apart by their first bytes.
///
/// SVG is deliberately absent: it is XML that can carry scripts.
public enum ImageFormat: String, Sendable, CaseIterable {
    case jpeg, png, gif, webp, avif

    /// How many leading bytes `sniff` needs.
    public static let signatureLength = 32

    /// The MIME types a stored object may be labelled with for this format.
    public var mediaTypes: Set<String> {
        switch self {
        case .jpeg: ["image/jpeg", "image/jpg", "image/pjpeg"]
        case .png: ["image/png"]
        case .gif: ["image/gif"]
        case .webp: ["image/webp"]
        case .avif: ["image/avif"]
        }
    }

    /// The canonical MIME type.
    public var mediaType: String { "image/" + rawValue }

    /// The format whose magic number `bytes` starts with, or nil.
    public static func sniff(_ bytes: some Collection<UInt8>) -> ImageFormat? {
        let head = Array(bytes.prefix(signatureLength))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + signature.count && Array(head[offset..<(offset + signature.count)]) == signature
        }
        if starts([0xFF, 0xD8, 0xFF]) { return .jpeg }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .png }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return .gif }
        if starts(Array("RIFF".utf8)) && starts(Array("WEBP".utf8), at: 8) { return .webp }
        // ISO BMFF: a box size, then "ftyp" and a brand; AVIF images say avif (still) or avis (sequence).
        if starts(Array("ftyp".utf8), at: 4) && (starts(Array("avif".utf8), at: 8) || starts(Array("avis".utf8), at: 8))
        {
            return .avif
        }
        return nil
    }

    /// Whether `contentType` says nothing about the bytes: what a store reports for an object stored without a type.
    public static func isUnlabelled(_ contentType: String) -> Bool {
        ["", "binary/octet-stream", "application/octet-stream"].contains(contentType.lowercased())
    }

    /// The format when the stored `contentType` and the leading `bytes` agree on one, else nil.
    public static func verified(contentType: String, bytes: some Collection<UInt8>) -> ImageFormat? {
        let mediaType =
            contentType.split(separator: ";").first.map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            } ?? ""
        guard let format = sniff(bytes), format.mediaTypes.contains(mediaType) else { return nil }
        return format
    }
}
