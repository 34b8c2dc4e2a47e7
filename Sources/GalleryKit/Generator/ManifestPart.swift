public import Foundation

/// One part of the manifest: a run of published photos, oldest first, in its own file
/// (`manifest/part-….json`, `{"photos":[…],"version":4}`, one photo per line, each as
/// `PhotoRecord` writes it without the upload's ETag). The places of photos taken off the gallery
/// (gaps) come first, on one line, when there are any: `{"gaps":[{"key":…,"uploadedAt":…}],"photos":…`.
public struct ManifestPart: Sendable, Hashable {
    /// Where the part is in the bucket; nil while its photos changed and it is not written yet.
    public var key: String?
    /// The photos, oldest first.
    public var photos: [GalleryPhoto]

    public init(key: String? = nil, photos: [GalleryPhoto] = []) {
        self.key = key
        self.photos = photos
    }

    struct Document: Decodable {
        var version: Int
        var photos: [PhotoRecord.Entry]
        var gaps: [PhotoRecord.GapEntry]?
    }

    /// The photos shown (not gaps).
    public var shownCount: Int { photos.reduce(0) { $1.isGap ? $0 : $0 + 1 } }

    /// The file for `photos` (gaps among them), the same bytes for the same photos.
    public static func encode(_ photos: [GalleryPhoto]) -> Data {
        let gaps = photos.filter(\.isGap)
        var before: [UInt8] = []
        if !gaps.isEmpty {
            before.append(contentsOf: #""gaps":["#.utf8)
            for (index, gap) in gaps.enumerated() {
                if index > 0 { before.append(UInt8(ascii: ",")) }
                PhotoRecord.appendGap(gap, to: &before)
            }
            before.append(contentsOf: "],".utf8)
        }
        return GalleryManifest.encodeList(
            "photos", gaps.isEmpty ? photos : photos.filter { !$0.isGap }, bytesPerItem: 900, before: before
        ) {
            PhotoRecord.append($0, to: &$1, withPrivateFields: false)
        }
    }

    /// The photos in a part file, oldest first; nil when it is not a part of this version.
    public static func decode(_ data: Data) -> [GalleryPhoto]? {
        guard let document = try? JSONDecoder().decode(Document.self, from: data),
            document.version == GalleryManifest.version
        else { return nil }
        var photos: [GalleryPhoto] = []
        photos.reserveCapacity(document.photos.count)
        for entry in document.photos {
            guard let photo = entry.photo else { return nil }
            photos.append(photo)
        }
        for entry in document.gaps ?? [] {
            guard let gap = entry.gap else { return nil }
            photos.append(gap)
        }
        return photos.sorted(by: GalleryPhoto.oldestFirst)
    }
}
