public import Foundation

/// The manifest's archive (`manifest/archive-….json`): the keys of the full parts, oldest first,
/// with how many photos each holds: `{"parts":[{"photos":100,"url":"manifest/part-….json"},…],"version":3}`.
/// Rewritten only when a part fills up or an older part changes. Pure.
public enum ManifestArchive {
    /// One part as the archive names it.
    public struct Entry: Sendable, Hashable, Decodable {
        public var url: String
        public var photos: Int

        public init(url: String, photos: Int) {
            self.url = url
            self.photos = photos
        }
    }

    struct Document: Decodable {
        var version: Int
        var parts: [Entry]
    }

    /// The archive naming `parts`, oldest first.
    public static func encode(_ parts: [Entry]) -> Data {
        GalleryManifest.encodeList("parts", parts, bytesPerItem: 64) { part, out in
            out.append(contentsOf: #"{"photos":"#.utf8)
            out.append(contentsOf: String(part.photos).utf8)
            out.append(contentsOf: #","url":"#.utf8)
            GalleryManifest.appendJSONString(part.url, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The parts an archive names, oldest first; nil when it is not an archive of this version or
    /// names a file outside the manifest's folder.
    public static func decode(_ data: Data) -> [Entry]? {
        guard let document = try? JSONDecoder().decode(Document.self, from: data),
            document.version == GalleryManifest.version,
            document.parts.allSatisfy({ GalleryManifest.isPartKey($0.url) && $0.photos >= 0 })
        else { return nil }
        return document.parts
    }
}
