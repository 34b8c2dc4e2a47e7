public import Foundation
import SigV4

/// The manifest's archive (`manifest/archive-….json`): the keys of the full parts, oldest first,
/// with how many photos each holds: `{"parts":[{"photos":100,"url":"manifest/part-….json"},…],"version":4}`.
/// Rewritten only when a part fills up or an older part changes. Pure.
public enum ManifestArchive {
    /// One part as the archive names it.
    public struct Entry: Sendable, Hashable, Decodable {
        public var url: String
        /// Photos shown in the part.
        public var photos: Int
        /// Places of photos taken off the gallery in the part (written only when there are any).
        public var gaps: Int

        public init(url: String, photos: Int, gaps: Int = 0) {
            self.url = url
            self.photos = photos
            self.gaps = gaps
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            photos = try container.decode(Int.self, forKey: .photos)
            gaps = try container.decodeIfPresent(Int.self, forKey: .gaps) ?? 0
        }

        enum CodingKeys: String, CodingKey { case url, photos, gaps }

        /// Places in the part: photos and gaps.
        public var places: Int { photos + gaps }
    }

    struct Document: Decodable {
        var version: Int
        var parts: [Entry]
    }

    /// The archive naming `parts`, oldest first.
    public static func encode(_ parts: [Entry]) -> Data {
        GalleryManifest.encodeList("parts", parts, bytesPerItem: 64) { part, out in
            out.append(UInt8(ascii: "{"))
            if part.gaps > 0 {
                out.append(contentsOf: #""gaps":"#.utf8)
                out.append(contentsOf: String(part.gaps).utf8)
                out.append(UInt8(ascii: ","))
            }
            out.append(contentsOf: #""photos":"#.utf8)
            out.append(contentsOf: String(part.photos).utf8)
            out.append(contentsOf: #","url":"#.utf8)
            JSONText.appendUTF8(part.url, to: &out)
            out.append(UInt8(ascii: "}"))
        }
    }

    /// The parts an archive names, oldest first; nil when it is not an archive of this version or
    /// names a file outside the manifest's folder.
    public static func decode(_ data: Data) -> [Entry]? {
        guard let document = try? JSONDecoder().decode(Document.self, from: data),
            document.version == GalleryManifest.version,
            document.parts.allSatisfy({ GalleryManifest.isPartKey($0.url) && $0.photos >= 0 && $0.gaps >= 0 })
        else { return nil }
        return document.parts
    }
}
