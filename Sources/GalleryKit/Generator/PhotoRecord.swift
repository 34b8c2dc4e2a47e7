public import Foundation
import SigV4

/// One published photo as JSON: a line of a manifest part, and alone (with the upload's ETag, which
/// the public manifest leaves out: it fingerprints the uploader's file, and with its standing) the
/// record the publisher keeps under `records/` for full rebuilds. A removed photo's record keeps only
/// its key and time: the place it leaves (a gap). Pure.
public enum PhotoRecord {
    /// An image as the JSON names it.
    struct Image: Decodable {
        var url: String
        var width: Int
        var height: Int
        var bytes: Int
        var type: String

        var published: PublishedImage {
            PublishedImage(key: url, width: width, height: height, bytes: bytes, contentType: type)
        }
    }

    /// A photo as the JSON names it.
    struct Entry: Decodable {
        var key: String
        var title: String
        var uploadedAt: String
        var etag: String?
        var width: Int
        var height: Int
        var renditions: [Image]
        var placeholder: String
        var takenAt: String?
        var original: Image?

        var photo: GalleryPhoto? {
            guard let title = Title(tagValue: title),
                let uploaded = AmzDate.parseMilliseconds(uploadedAt), !renditions.isEmpty
            else { return nil }
            return GalleryPhoto(
                key: key, title: title, uploadedAt: uploaded, etag: etag ?? "", width: width, height: height,
                renditions: renditions.map(\.published), placeholder: placeholder, takenAt: takenAt,
                original: original?.published)
        }
    }

    /// A gap as a part lists it, and a removed photo's record: its key and time.
    struct GapEntry: Decodable {
        var key: String
        var uploadedAt: String
        var standing: String?

        var gap: GalleryPhoto? {
            AmzDate.parseMilliseconds(uploadedAt).map { GalleryPhoto.gap(key: key, uploadedAt: $0) }
        }
    }

    /// The record of `photo` standing as `standing`: its entry alone (a removed photo's, its place only).
    public static func encode(_ photo: GalleryPhoto, standing: PhotoStanding = .shown) -> Data {
        var out: [UInt8] = []
        if standing == .removed || photo.isGap {
            appendGap(photo, to: &out, standing: .removed)
        } else {
            append(photo, to: &out, withPrivateFields: true, standing: standing)
        }
        out.append(UInt8(ascii: "\n"))
        return Data(out)
    }

    /// The photo in a record and its standing, or nil when it is not one. A removed photo's is its gap.
    public static func read(_ data: Data) -> (photo: GalleryPhoto, standing: PhotoStanding)? {
        struct Standing: Decodable { var standing: String? }
        guard let head = try? JSONDecoder().decode(Standing.self, from: data) else { return nil }
        let standing = head.standing.map { PhotoStanding(rawValue: $0) } ?? .shown
        switch standing {
        case nil: return nil
        case .removed?:
            return (try? JSONDecoder().decode(GapEntry.self, from: data))?.gap.map { ($0, .removed) }
        case let standing?:
            return (try? JSONDecoder().decode(Entry.self, from: data))?.photo.map { ($0, standing) }
        }
    }

    /// The photo as the gallery places it: itself when shown, its gap when hidden or removed; nil
    /// when the data is no record, or one of an upload awaiting review.
    public static func decode(_ data: Data) -> GalleryPhoto? {
        guard let (photo, standing) = read(data) else { return nil }
        switch standing {
        case .shown: return photo
        case .hidden, .removed: return photo.gap
        case .awaitingReview: return nil
        }
    }

    /// A gap as one JSON object: `{"key":…,"uploadedAt":…}` (in a record, with its standing).
    static func appendGap(_ photo: GalleryPhoto, to out: inout [UInt8], standing: PhotoStanding? = nil) {
        out.append(contentsOf: #"{"key":"#.utf8)
        JSONText.appendUTF8(photo.key, to: &out)
        if let standing {
            out.append(contentsOf: #","standing":"#.utf8)
            JSONText.appendUTF8(standing.rawValue, to: &out)
        }
        out.append(contentsOf: #","uploadedAt":""#.utf8)
        AmzDate.appendMilliseconds(photo.uploadedAt, to: &out)
        out.append(contentsOf: #""}"#.utf8)
    }

    /// `photo` as one JSON object (keys sorted, no spaces), appended to `out`; the upload's ETag only
    /// `withPrivateFields`.
    static func append(
        _ photo: GalleryPhoto, to out: inout [UInt8], withPrivateFields: Bool, standing: PhotoStanding = .shown
    ) {
        out.append(UInt8(ascii: "{"))
        if withPrivateFields {
            out.append(contentsOf: #""etag":"#.utf8)
            JSONText.appendUTF8(photo.etag, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""height":"#.utf8)
        out.append(contentsOf: String(photo.height).utf8)
        out.append(contentsOf: #","id":"#.utf8)
        JSONText.appendUTF8(photo.id, to: &out)
        out.append(contentsOf: #","key":"#.utf8)
        JSONText.appendUTF8(photo.key, to: &out)
        if let original = photo.original {
            out.append(contentsOf: #","original":"#.utf8)
            append(original, to: &out)
        }
        out.append(contentsOf: #","page":"#.utf8)
        JSONText.appendUTF8(SiteLayout.photoPageKey(photo), to: &out)
        out.append(contentsOf: #","placeholder":"#.utf8)
        JSONText.appendUTF8(photo.placeholder, to: &out)
        out.append(contentsOf: #","renditions":["#.utf8)
        for (index, rendition) in photo.renditions.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(rendition, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if withPrivateFields, standing != .shown {
            out.append(contentsOf: #","standing":"#.utf8)
            JSONText.appendUTF8(standing.rawValue, to: &out)
        }
        if let takenAt = photo.takenAt {
            out.append(contentsOf: #","takenAt":"#.utf8)
            JSONText.appendUTF8(takenAt, to: &out)
        }
        out.append(contentsOf: #","title":"#.utf8)
        JSONText.appendUTF8(photo.title.text, to: &out)
        out.append(contentsOf: #","uploadedAt":""#.utf8)
        AmzDate.appendMilliseconds(photo.uploadedAt, to: &out)
        out.append(contentsOf: #"","width":"#.utf8)
        out.append(contentsOf: String(photo.width).utf8)
        out.append(UInt8(ascii: "}"))
    }

    private static func append(_ image: PublishedImage, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"bytes":"#.utf8)
        out.append(contentsOf: String(image.bytes).utf8)
        out.append(contentsOf: #","height":"#.utf8)
        out.append(contentsOf: String(image.height).utf8)
        out.append(contentsOf: #","type":"#.utf8)
        JSONText.appendUTF8(image.contentType, to: &out)
        out.append(contentsOf: #","url":"#.utf8)
        JSONText.appendUTF8(image.key, to: &out)
        out.append(contentsOf: #","width":"#.utf8)
        out.append(contentsOf: String(image.width).utf8)
        out.append(UInt8(ascii: "}"))
    }
}
