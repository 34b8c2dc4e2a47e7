public import Foundation
import SigV4

/// `gallery.json`: every published photo with its title, size, upload time, type and ETag, oldest first.
///
/// The generator's memory of the gallery (so one upload needs no listing), and a JSON export for
/// other tools. Pure: encoding and decoding only.
public enum GalleryManifest {
    /// The manifest's key in the bucket.
    public static let key = "gallery.json"
    public static let version = 1

    struct Document: Codable {
        var version: Int
        var generatedAt: String
        var photos: [Entry]
    }

    struct Entry: Codable {
        var key: String
        var title: String
        var size: Int
        var uploadedAt: String
        var contentType: String
        var etag: String
    }

    /// The manifest document for `photos` (oldest first), stable byte for byte for the same photos.
    public static func encode(_ photos: [GalleryPhoto]) -> Data {
        let document = Document(
            version: version, generatedAt: photos.last.map { AmzDate($0.uploadedAt).iso8601 } ?? "",
            photos: photos.map {
                Entry(
                    key: $0.key, title: $0.title.text, size: $0.size, uploadedAt: fractionalISO8601($0.uploadedAt),
                    contentType: $0.contentType, etag: $0.etag)
            })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]
        return (try? encoder.encode(document)) ?? Data()
    }

    /// The photos in a manifest, oldest first; nil when it is not a manifest of this version.
    public static func decode(_ data: Data) -> [GalleryPhoto]? {
        guard let document = try? JSONDecoder().decode(Document.self, from: data), document.version == version else {
            return nil
        }
        var photos: [GalleryPhoto] = []
        for entry in document.photos {
            guard let title = Title(tagValue: entry.title), let uploaded = parseFractionalISO8601(entry.uploadedAt)
            else {
                return nil
            }
            photos.append(
                GalleryPhoto(
                    key: entry.key, title: title, uploadedAt: uploaded, size: entry.size, etag: entry.etag,
                    contentType: entry.contentType))
        }
        return photos.sorted(by: GalleryPhoto.oldestFirst)
    }

    /// ISO 8601 with milliseconds: upload order within a second survives a round trip.
    static func fractionalISO8601(_ date: Date) -> String {
        let whole = AmzDate(date)
        let milliseconds = Int(((date.timeIntervalSince1970 - whole.date.timeIntervalSince1970) * 1000).rounded(.down))
        let text = whole.iso8601
        return String(text.dropLast()) + "." + String(format: "%03d", max(0, min(999, milliseconds))) + "Z"
    }

    static func parseFractionalISO8601(_ text: String) -> Date? {
        guard let whole = AmzDate(iso8601: text) else { return nil }
        guard let dot = text.lastIndex(of: "."),
            let fraction = Double("0" + text[dot..<text.index(before: text.endIndex)])
        else { return whole.date }
        return whole.date.addingTimeInterval(fraction)
    }
}
