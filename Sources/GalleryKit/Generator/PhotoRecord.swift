public import Foundation
import SigV4

/// One published photo as JSON: a line of `gallery.json`, and alone (with the upload's ETag, which
/// the public manifest leaves out: it fingerprints the uploader's file) the record the publisher
/// keeps under `records/` for full rebuilds. Pure.
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
                let uploaded = GalleryManifest.parseFractionalISO8601(uploadedAt), !renditions.isEmpty
            else { return nil }
            return GalleryPhoto(
                key: key, title: title, uploadedAt: uploaded, etag: etag ?? "", width: width, height: height,
                renditions: renditions.map(\.published), placeholder: placeholder, takenAt: takenAt,
                original: original?.published)
        }
    }

    /// The record of `photo`: its entry alone.
    public static func encode(_ photo: GalleryPhoto) -> Data {
        var out: [UInt8] = []
        append(photo, to: &out, withPrivateFields: true)
        out.append(UInt8(ascii: "\n"))
        return Data(out)
    }

    /// The photo in a record, or nil when it is not one.
    public static func decode(_ data: Data) -> GalleryPhoto? {
        (try? JSONDecoder().decode(Entry.self, from: data))?.photo
    }

    /// `photo` as one JSON object (keys sorted, no spaces), appended to `out`; the upload's ETag only
    /// `withPrivateFields`.
    static func append(_ photo: GalleryPhoto, to out: inout [UInt8], withPrivateFields: Bool) {
        out.append(UInt8(ascii: "{"))
        if withPrivateFields {
            out.append(contentsOf: #""etag":"#.utf8)
            GalleryManifest.appendJSONString(photo.etag, to: &out)
            out.append(UInt8(ascii: ","))
        }
        out.append(contentsOf: #""height":"#.utf8)
        out.append(contentsOf: String(photo.height).utf8)
        out.append(contentsOf: #","id":"#.utf8)
        GalleryManifest.appendJSONString(photo.id, to: &out)
        out.append(contentsOf: #","key":"#.utf8)
        GalleryManifest.appendJSONString(photo.key, to: &out)
        if let original = photo.original {
            out.append(contentsOf: #","original":"#.utf8)
            append(original, to: &out)
        }
        out.append(contentsOf: #","page":"#.utf8)
        GalleryManifest.appendJSONString(SiteLayout.photoPageKey(photo), to: &out)
        out.append(contentsOf: #","placeholder":"#.utf8)
        GalleryManifest.appendJSONString(photo.placeholder, to: &out)
        out.append(contentsOf: #","renditions":["#.utf8)
        for (index, rendition) in photo.renditions.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            append(rendition, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        if let takenAt = photo.takenAt {
            out.append(contentsOf: #","takenAt":"#.utf8)
            GalleryManifest.appendJSONString(takenAt, to: &out)
        }
        out.append(contentsOf: #","title":"#.utf8)
        GalleryManifest.appendJSONString(photo.title.text, to: &out)
        out.append(contentsOf: #","uploadedAt":""#.utf8)
        GalleryManifest.appendFractionalISO8601(photo.uploadedAt, to: &out)
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
        GalleryManifest.appendJSONString(image.contentType, to: &out)
        out.append(contentsOf: #","url":"#.utf8)
        GalleryManifest.appendJSONString(image.key, to: &out)
        out.append(contentsOf: #","width":"#.utf8)
        out.append(contentsOf: String(image.width).utf8)
        out.append(UInt8(ascii: "}"))
    }
}
