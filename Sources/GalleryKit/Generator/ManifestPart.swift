public import Foundation

/// One part of the manifest: a run of published photos, oldest first, in its own file
/// (`manifest/part-….json`, `{"photos":[…],"version":3}`, one photo per line, each as
/// `PhotoRecord` writes it without the upload's ETag).
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
    }

    /// The file for `photos`, the same bytes for the same photos.
    public static func encode(_ photos: [GalleryPhoto]) -> Data {
        GalleryManifest.encodeList("photos", photos, bytesPerItem: 900) {
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
        return photos.sorted(by: GalleryPhoto.oldestFirst)
    }
}
