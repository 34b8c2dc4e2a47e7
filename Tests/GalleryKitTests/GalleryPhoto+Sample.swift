import Foundation
import GalleryKit

extension GalleryPhoto {
    /// A published 1600 × 1200 photo with three renditions, as the publisher would record it.
    static func sample(key: String, title: Title, uploadedAt: Date, etag: String = "\"0123456789abcdef\"")
        -> GalleryPhoto
    {
        let id = GalleryPhoto.id(forKey: key)
        return GalleryPhoto(
            key: key, title: title, uploadedAt: uploadedAt, etag: etag, width: 1600, height: 1200,
            renditions: [320, 640, 1280].map {
                PublishedImage(
                    key: SiteLayout.renditionKey(id: id, width: $0, digest: "0123456789"), width: $0,
                    height: $0 * 3 / 4, bytes: $0 * 10, contentType: "image/webp")
            },
            placeholder: "data:image/webp;base64,UklGRiQAAABXRUJQ", takenAt: "2024-06-01T10:20:30")
    }
}
