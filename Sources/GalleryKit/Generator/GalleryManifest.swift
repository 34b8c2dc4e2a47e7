public import Foundation
import SigV4

/// `gallery.json`: every published photo, oldest first, with its title, size as displayed, renditions,
/// placeholder and, when known, the date it was taken.
///
/// The generator's memory of the gallery (so one upload needs no listing), and a JSON export for
/// other tools. Rendition and page URLs are relative to the gallery's root. Pure: encoding and
/// decoding only; `PhotoRecord` is one photo's entry alone, the record a full rebuild reads.
public enum GalleryManifest {
    /// The manifest's key in the bucket.
    public static let key = "gallery.json"
    /// Version 2: renditions instead of published originals (version 1 manifests are rebuilt).
    public static let version = 2

    struct Document: Decodable {
        var version: Int
        var generatedAt: String
        var photos: [PhotoRecord.Entry]
        var fingerprint: String?
    }

    /// A manifest read back: its photos, oldest first, and the fingerprint of what rendered it.
    public struct Contents: Sendable, Hashable {
        public var photos: [GalleryPhoto]
        public var fingerprint: String?
    }

    /// The manifest document for `photos` (oldest first), stable byte for byte for the same photos.
    ///
    /// Written by hand, one photo per line: at 10,000 photos this runs on every upload, and Foundation's
    /// `JSONEncoder` spent most of an upload's time here. `decode` reads it back with `JSONDecoder`.
    public static func encode(_ photos: [GalleryPhoto], fingerprint: String? = nil) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(256 + photos.count * 900)
        out.append(UInt8(ascii: "{"))
        if let fingerprint {
            out.append(contentsOf: #""fingerprint":"#.utf8)
            appendJSONString(fingerprint, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""generatedAt":"#.utf8)
        appendJSONString(photos.last.map { AmzDate($0.uploadedAt).iso8601 } ?? "", to: &out)
        out.append(contentsOf: #","photos":["#.utf8)
        for (index, photo) in photos.enumerated() {
            out.append(contentsOf: index == 0 ? "\n".utf8 : ",\n".utf8)
            PhotoRecord.append(photo, to: &out, withPrivateFields: false)
        }
        out.append(contentsOf: "\n],\"version\":".utf8)
        out.append(contentsOf: String(version).utf8)
        out.append(contentsOf: "}\n".utf8)
        return Data(out)
    }

    /// The photos in a manifest, oldest first; nil when it is not a manifest of this version.
    public static func decode(_ data: Data) -> [GalleryPhoto]? { contents(of: data)?.photos }

    /// The photos in a manifest and its fingerprint; nil when it is not a manifest of this version.
    public static func contents(of data: Data) -> Contents? {
        guard let document = try? JSONDecoder().decode(Document.self, from: data), document.version == version else {
            return nil
        }
        var photos: [GalleryPhoto] = []
        photos.reserveCapacity(document.photos.count)
        for entry in document.photos {
            guard let photo = entry.photo else { return nil }
            photos.append(photo)
        }
        return Contents(photos: photos.sorted(by: GalleryPhoto.oldestFirst), fingerprint: document.fingerprint)
    }

    /// A JSON string literal of `text`: quotes, backslashes and control characters escaped, the rest UTF-8.
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, by arithmetic (no formatter): milliseconds keep the upload
    /// order within a second through a round trip.
    public static func appendFractionalISO8601(_ date: Date, to out: inout [UInt8]) {
        let whole = AmzDate(date)
        let milliseconds = Int(((date.timeIntervalSince1970 - whole.date.timeIntervalSince1970) * 1000).rounded(.down))
        func digits(_ value: Int, _ width: Int) {
            var divisor = 1
            for _ in 1..<width { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                out.append(UInt8(ascii: "0") + UInt8((rest / divisor) % 10))
                rest %= divisor
                divisor /= 10
            }
        }
        digits(whole.year, 4)
        out.append(UInt8(ascii: "-"))
        digits(whole.month, 2)
        out.append(UInt8(ascii: "-"))
        digits(whole.day, 2)
        out.append(UInt8(ascii: "T"))
        digits(whole.hour, 2)
        out.append(UInt8(ascii: ":"))
        digits(whole.minute, 2)
        out.append(UInt8(ascii: ":"))
        digits(whole.second, 2)
        out.append(UInt8(ascii: "."))
        digits(max(0, min(999, milliseconds)), 3)
        out.append(UInt8(ascii: "Z"))
    }

    /// The date in a `yyyy-MM-ddTHH:mm:ss[.SSS]Z` text, or nil.
    public static func parseFractionalISO8601(_ text: String) -> Date? {
        guard let whole = AmzDate(iso8601: text) else { return nil }
        guard let dot = text.lastIndex(of: "."),
            let fraction = Double("0" + text[dot..<text.index(before: text.endIndex)])
        else { return whole.date }
        return whole.date.addingTimeInterval(fraction)
    }
}
