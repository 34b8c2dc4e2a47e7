import Foundation
import Testing

@testable import GalleryKit

@Suite("gallery.json")
struct GalleryManifestTests {
    static func photo(_ key: String, title: String, at seconds: Double) throws -> GalleryPhoto {
        GalleryPhoto(
            key: key, title: try #require(Title(tagValue: title)), uploadedAt: Date(timeIntervalSince1970: seconds),
            size: 1234, etag: "\"0123456789abcdef0123456789abcdef\"", contentType: "image/png")
    }

    @Test func roundTripsAwkwardStringsAndMilliseconds() throws {
        let photos = [
            try Self.photo(#"photos/a"\"#, title: "Zürich: 5 + 5 = 10", at: 1_700_000_000.25),
            try Self.photo("photos/b\u{1}\t\n", title: "Grüße", at: 1_700_000_000.75),
            try Self.photo("photos/c", title: "Same time, later key", at: 1_700_000_000.75),
        ]
        let data = GalleryManifest.encode(photos)
        #expect(GalleryManifest.decode(data) == photos)

        // Any JSON reader sees the same values: the hand-written encoder is real JSON.
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["version"] as? Int == GalleryManifest.version)
        #expect(object["generatedAt"] as? String == "2023-11-14T22:13:20Z")
        let entries = try #require(object["photos"] as? [[String: Any]])
        #expect(entries.map { $0["key"] as? String } == [#"photos/a"\"#, "photos/b\u{1}\t\n", "photos/c"])
        #expect(entries.map { $0["title"] as? String } == photos.map(\.title.text))
        #expect(entries[0]["uploadedAt"] as? String == "2023-11-14T22:13:20.250Z")
        #expect(entries[1]["uploadedAt"] as? String == "2023-11-14T22:13:20.750Z")
        #expect(entries[0]["size"] as? Int == 1234)
        #expect(entries[0]["etag"] as? String == "\"0123456789abcdef0123456789abcdef\"")
        #expect(entries[0]["contentType"] as? String == "image/png")
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
        #expect(GalleryManifest.decode(Data(#"{"version":2,"generatedAt":"","photos":[]}"#.utf8)) == nil)
        #expect(GalleryManifest.decode(Data("not json".utf8)) == nil)
    }
}
