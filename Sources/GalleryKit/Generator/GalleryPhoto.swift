import Crypto
public import Foundation
import SigV4

/// A published photo: an object under the upload prefix that carries a Title tag.
public struct GalleryPhoto: Sendable, Hashable {
    public let key: String
    public let title: Title
    public let uploadedAt: Date
    public let size: Int
    public let etag: String
    public let contentType: String

    public init(key: String, title: Title, uploadedAt: Date, size: Int, etag: String, contentType: String) {
        self.key = key
        self.title = title
        self.uploadedAt = uploadedAt
        self.size = size
        self.etag = etag
        self.contentType = contentType
    }

    /// A short name for the photo's own page: the key's last part when it is plain, else a hash of the key.
    public var pageID: String {
        let last = key.split(separator: "/").last.map(String.init) ?? key
        let plain =
            last.utf8.count <= 100
            && last.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            }
        return plain && !last.isEmpty ? last : String(SHA256.hash(data: Data(key.utf8)).hexString.prefix(32))
    }

    /// Oldest first; ties broken by key so the order is stable.
    public static func oldestFirst(_ lhs: GalleryPhoto, _ rhs: GalleryPhoto) -> Bool {
        lhs.uploadedAt != rhs.uploadedAt ? lhs.uploadedAt < rhs.uploadedAt : lhs.key < rhs.key
    }
}
