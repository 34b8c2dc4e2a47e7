import Foundation
import Testing

@testable import GalleryKit

@Suite("gallery.json")
struct GalleryManifestTests {
    static func photo(_ key: String, title: String, at seconds: Double) throws -> GalleryPhoto {
        .sample(
            key: key, title: try #require(Title(tagValue: title)), uploadedAt: Date(timeIntervalSince1970: seconds),
            etag: "\"0123456789abcdef0123456789abcdef\"")
    }

    @Test func roundTripsAwkwardStringsAndMilliseconds() throws {
        let photos = [
            try Self.photo(#"photos/a"\"#, title: "Zürich: 5 + 5 = 10", at: 1_700_000_000.25),
            try Self.photo("photos/b\u{1}\t\n", title: "Grüße", at: 1_700_000_000.75),
            try Self.photo("photos/c", title: "Same time, later key", at: 1_700_000_000.75),
        ]
        let data = GalleryManifest.encode(photos)
        // The upload's ETag stays in the private record: the public manifest leaves it out.
        #expect(GalleryManifest.decode(data) == photos.map(\.withoutETag))

        // Any JSON reader sees the same values: the hand-written encoder is real JSON.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == GalleryManifest.version)
        #expect(object["generatedAt"] as? String == "2023-11-14T22:13:20Z")
        let entries = try #require(object["photos"] as? [[String: Any]])
        #expect(entries.map { $0["key"] as? String } == [#"photos/a"\"#, "photos/b\u{1}\t\n", "photos/c"])
        #expect(entries.map { $0["title"] as? String } == photos.map(\.title.text))
        #expect(entries[0]["uploadedAt"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(entries[1]["uploadedAt"] as? String == "2023-11-14T22:13:20.750Z")
        #expect(entries[0]["etag"] == nil)
        #expect(entries[0]["width"] as? Int == 1600)
        #expect(entries[0]["height"] as? Int == 1200)
        #expect(entries[0]["takenAt"] as? String == "2024-06-01T10:20:30")
        #expect((entries[0]["placeholder"] as? String)?.hasPrefix("data:image/webp;base64,") == true)
        let renditions = try #require(entries[2]["renditions"] as? [[String: Any]])
        #expect(renditions.map { $0["width"] as? Int } == [320, 640, 1280])
        #expect(renditions.first?["url"] as? String == "img/c/320-0123456789.webp")
        #expect(entries[2]["page"] as? String == "photo/c.html")
        #expect(entries[2]["original"] == nil)
    }

    @Test func sameBytesForTheSamePhotosAndOnePhotoPerLine() throws {
        let photos = try (0..<3).map {
            try Self.photo("photos/\($0)", title: "Photo \($0)", at: 1_700_000_000 + Double($0))
        }
        let data = GalleryManifest.encode(photos)
        #expect(data == GalleryManifest.encode(photos))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 5)
        #expect(text.hasSuffix("\n"))
    }

    @Test func emptyGalleryAndForeignDocuments() throws {
        #expect(GalleryManifest.decode(GalleryManifest.encode([])) == [])
        #expect(GalleryManifest.decode(Data(#"{"version":3,"generatedAt":"","photos":[]}"#.utf8)) == nil)
        // A version 1 manifest (published originals, no renditions) is not read: the gallery is rebuilt.
        #expect(GalleryManifest.decode(Data(#"{"version":1,"generatedAt":"","photos":[]}"#.utf8)) == nil)
        #expect(GalleryManifest.decode(Data("not json".utf8)) == nil)
    }
}

extension GalleryPhoto {
    var withoutETag: GalleryPhoto {
        GalleryPhoto(
            key: key, title: title, uploadedAt: uploadedAt, etag: "", width: width, height: height,
            renditions: renditions, placeholder: placeholder, takenAt: takenAt, original: original)
    }
}

@Suite("records/")
struct PhotoRecordTests {
    @Test func aRecordIsOneManifestEntryAndRoundTrips() throws {
        var photo = GalleryPhoto.sample(
            key: "incoming/abc", title: try Title(normalizing: "Grüße"), uploadedAt: Date(timeIntervalSince1970: 1.5))
        photo = GalleryPhoto(
            key: photo.key, title: photo.title, uploadedAt: photo.uploadedAt, etag: photo.etag, width: photo.width,
            height: photo.height, renditions: photo.renditions, placeholder: photo.placeholder, takenAt: nil,
            original: PublishedImage(
                key: "original/abc-0123456789.jpg", width: 1600, height: 1200, bytes: 99, contentType: "image/jpeg"))
        let record = PhotoRecord.encode(photo)
        #expect(PhotoRecord.decode(record) == photo)
        #expect(String(decoding: record, as: UTF8.self).hasPrefix(#"{"etag":"\"0123456789abcdef\"","height""#))
        // The manifest's line is the record without the upload's ETag.
        let manifest = String(decoding: GalleryManifest.encode([photo]), as: UTF8.self)
        let line = String(decoding: record.dropLast(), as: UTF8.self)
            .replacingOccurrences(of: #""etag":"\"0123456789abcdef\"","#, with: "")
        #expect(manifest.contains(line))
        #expect(!manifest.contains("0123456789abcdef\\\""))
        #expect(PhotoRecord.decode(Data("{}".utf8)) == nil)
    }
}
