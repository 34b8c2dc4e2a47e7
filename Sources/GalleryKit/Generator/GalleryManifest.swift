public import Foundation
import SigV4

/// `gallery.json`: the entry point of the gallery's JSON export, small whatever the gallery's size.
///
/// It names the manifest's parts instead of listing every photo: an archive (`manifest/archive-….json`)
/// listing the full parts oldest first, and the part holding the newest photos. A reader reads the
/// archive's parts in order, then the newest part: every published photo, oldest first, with its
/// title, size as displayed, renditions, placeholder and, when known, the date it was taken (see
/// `ManifestPart`). One upload rewrites the newest part and this file; a part that fills up joins the
/// archive. Files are never rewritten in place: every version of a part gets a new name, and
/// `gallery.json` is the one file writers replace (conditionally: it is where they meet). Pure:
/// encoding and decoding only.
public enum GalleryManifest {
    /// The manifest's key in the bucket.
    public static let key = "gallery.json"
    /// Version 4: photos in parts, with the places of photos taken down (`gaps`). Version 3 had no
    /// gaps (a reader of it would renumber pages), version 2 listed every photo here; older manifests
    /// are rebuilt.
    public static let version = 4
    /// Where the parts and archives go.
    public static let partFolder = "manifest/"

    /// What `gallery.json` says.
    public struct Header: Sendable, Hashable {
        /// Photos in the gallery: the archive's parts and the newest part together.
        public var photoCount: Int
        /// Places of photos taken off the gallery that the parts keep (so no page is renumbered).
        public var gaps: Int = 0
        /// The fingerprint of the theme and settings that rendered the pages.
        public var fingerprint: String?
        /// When the newest photo was uploaded (empty for an empty gallery).
        public var generatedAt: String
        /// The key of the archive listing the full parts, oldest first; nil when there are none.
        public var archive: String?
        /// The key of the part holding the newest photos; nil when it is empty.
        public var newest: String?

        public init(photoCount: Int, fingerprint: String?, generatedAt: String, archive: String?, newest: String?) {
            self.photoCount = photoCount
            self.fingerprint = fingerprint
            self.generatedAt = generatedAt
            self.archive = archive
            self.newest = newest
        }
    }

    struct Document: Decodable {
        var version: Int
        var photoCount: Int
        var gaps: Int?
        var fingerprint: String?
        var generatedAt: String
        var archive: String?
        var newest: String?
    }

    /// The bytes of `gallery.json` for `header`, the same for the same header.
    public static func encode(_ header: Header) -> Data {
        var out: [UInt8] = []
        out.append(contentsOf: #"{"archive":"#.utf8)
        appendJSONValue(header.archive, to: &out)
        if let fingerprint = header.fingerprint {
            out.append(contentsOf: #","fingerprint":"#.utf8)
            JSONText.appendUTF8(fingerprint, to: &out)
        }
        if header.gaps > 0 {
            out.append(contentsOf: #","gaps":"#.utf8)
            out.append(contentsOf: String(header.gaps).utf8)
        }
        out.append(contentsOf: #","generatedAt":"#.utf8)
        JSONText.appendUTF8(header.generatedAt, to: &out)
        out.append(contentsOf: #","newest":"#.utf8)
        appendJSONValue(header.newest, to: &out)
        out.append(contentsOf: #","partSize":"#.utf8)
        out.append(contentsOf: String(ManifestParts.partSize).utf8)
        out.append(contentsOf: #","photoCount":"#.utf8)
        out.append(contentsOf: String(header.photoCount).utf8)
        out.append(contentsOf: #","version":"#.utf8)
        out.append(contentsOf: String(version).utf8)
        out.append(contentsOf: "}\n".utf8)
        return Data(out)
    }

    /// What a `gallery.json` says; nil when it is not one of this version, or names a file outside
    /// the manifest's folder.
    public static func header(of data: Data) -> Header? {
        guard let document = try? JSONDecoder().decode(Document.self, from: data), document.version == version,
            document.photoCount >= 0, (document.gaps ?? 0) >= 0,
            [document.archive, document.newest].allSatisfy({ $0.map(isPartKey) ?? true })
        else { return nil }
        var header = Header(
            photoCount: document.photoCount, fingerprint: document.fingerprint, generatedAt: document.generatedAt,
            archive: document.archive, newest: document.newest)
        header.gaps = document.gaps ?? 0
        return header
    }

    /// Whether `key` may name a part or an archive: a plain file name in the manifest's folder.
    static func isPartKey(_ key: String) -> Bool {
        guard key.hasPrefix(partFolder), key.hasSuffix(".json") else { return false }
        let name = key.dropFirst(partFolder.count)
        return !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    /// A fresh key in the manifest's folder: `manifest/<kind>-<16 hex digits>.json`, never used before.
    static func freshKey(_ kind: String) -> String {
        var generator = SystemRandomNumberGenerator()
        return partFolder + kind + "-" + Hex.padded(generator.next(), width: 16) + ".json"
    }

    /// A manifest file listing `items` under `name`, one per line, then this version:
    /// `{"<name>":[\n…,\n…\n],"version":4}\n` (with the fields in `before`, ending in `,`, first).
    /// The parts' and the archive's format.
    static func encodeList<Item>(
        _ name: String, _ items: [Item], bytesPerItem: Int, before: [UInt8] = [],
        _ append: (Item, inout [UInt8]) -> Void
    ) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(32 + before.count + items.count * bytesPerItem)
        out.append(UInt8(ascii: "{"))
        out.append(contentsOf: before)
        out.append(contentsOf: "\"\(name)\":[".utf8)
        for (index, item) in items.enumerated() {
            out.append(contentsOf: index == 0 ? "\n".utf8 : ",\n".utf8)
            append(item, &out)
        }
        out.append(contentsOf: "\n],\"version\":".utf8)
        out.append(contentsOf: String(version).utf8)
        out.append(contentsOf: "}\n".utf8)
        return Data(out)
    }

    /// `text` as a JSON string, or `null`.
    static func appendJSONValue(_ text: String?, to out: inout [UInt8]) {
        if let text { JSONText.appendUTF8(text, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }
}
