public import Foundation

/// An object's metadata, as a HEAD request returns it.
public struct ObjectHead: Sendable, Hashable {
    public let key: String
    public let size: Int
    public let contentType: String
    public let lastModified: Date
    public let etag: String
    public let cacheControl: String?

    public init(key: String, size: Int, contentType: String, lastModified: Date, etag: String, cacheControl: String?) {
        self.key = key
        self.size = size
        self.contentType = contentType
        self.lastModified = lastModified
        self.etag = etag
        self.cacheControl = cacheControl
    }
}
