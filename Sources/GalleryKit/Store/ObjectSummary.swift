public import Foundation

/// One object as a listing shows it.
public struct ObjectSummary: Sendable, Hashable {
    public let key: String
    public let size: Int
    public let lastModified: Date
    /// The entity tag, with its quotes, as S3 returns it.
    public let etag: String

    public init(key: String, size: Int, lastModified: Date, etag: String) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
        self.etag = etag
    }
}
