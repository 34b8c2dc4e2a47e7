import Foundation
import Testing

@testable import GalleryKit

@Suite("gallery.json and its parts")
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
        let data = ManifestPart.encode(photos)
        // The upload's ETag stays in the private record: the public manifest leaves it out.
        #expect(ManifestPart.decode(data) == photos.map(\.withoutETag))

        // Any JSON reader sees the same values: the hand-written encoder is real JSON.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == GalleryManifest.version)
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
        let data = ManifestPart.encode(photos)
        #expect(data == ManifestPart.encode(photos))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.split(separator: "\n").count == 5)
        #expect(text.hasSuffix("\n"))
    }

    @Test func emptyPartsAndForeignDocuments() throws {
        #expect(ManifestPart.decode(ManifestPart.encode([])) == [])
        #expect(ManifestPart.decode(Data(#"{"version":3,"photos":[]}"#.utf8)) == nil)
        #expect(ManifestPart.decode(Data("not json".utf8)) == nil)
        // A version 2 gallery.json (every photo in it) is not read: the gallery is rebuilt.
        #expect(GalleryManifest.header(of: Data(#"{"version":2,"generatedAt":"","photos":[]}"#.utf8)) == nil)
    }

    @Test func theHeaderNamesItsFilesAndNothingElse() throws {
        let header = GalleryManifest.Header(
            photoCount: 250, fingerprint: "abc", generatedAt: "2023-11-14T22:13:20Z",
            archive: "manifest/archive-00000000000000aa.json", newest: "manifest/part-00000000000000bb.json")
        let data = GalleryManifest.encode(header)
        #expect(GalleryManifest.header(of: data) == header)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["partSize"] as? Int == ManifestParts.partSize)
        #expect(object["photos"] == nil, "gallery.json lists no photos: its size does not grow with the gallery")
        // A header naming a file outside the manifest's folder is no manifest (a reader would follow it).
        for name in ["../records/x.json", "manifest/../gallery.json", "https://example.com/x.json", "manifest/"] {
            var bad = header
            bad.newest = name
            #expect(GalleryManifest.header(of: GalleryManifest.encode(bad)) == nil, "\(name)")
        }
        let empty = GalleryManifest.Header(photoCount: 0, fingerprint: nil, generatedAt: "", archive: nil, newest: nil)
        #expect(GalleryManifest.header(of: GalleryManifest.encode(empty)) == empty)
        let entries = [ManifestArchive.Entry(url: "manifest/part-0000000000000001.json", photos: 100)]
        #expect(ManifestArchive.decode(ManifestArchive.encode(entries)) == entries)
        #expect(
            ManifestArchive.decode(ManifestArchive.encode([ManifestArchive.Entry(url: "gallery.json", photos: 1)]))
                == nil)
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
        let manifest = String(decoding: ManifestPart.encode([photo]), as: UTF8.self)
        let line = String(decoding: record.dropLast(), as: UTF8.self)
            .replacingOccurrences(of: #""etag":"\"0123456789abcdef\"","#, with: "")
        #expect(manifest.contains(line))
        #expect(!manifest.contains("0123456789abcdef\\\""))
        #expect(PhotoRecord.decode(Data("{}".utf8)) == nil)
    }
}
