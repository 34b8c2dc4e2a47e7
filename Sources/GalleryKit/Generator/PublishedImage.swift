/// An image file the service made and published: a rendition, or the stripped original.
public struct PublishedImage: Sendable, Hashable {
    /// Its key in the bucket (a public path).
    public let key: String
    public let width: Int
    public let height: Int
    /// Its size in bytes.
    public let bytes: Int
    /// The type it was stored with.
    public let contentType: String

    public init(key: String, width: Int, height: Int, bytes: Int, contentType: String) {
        self.key = key
        self.width = width
        self.height = height
        self.bytes = bytes
        self.contentType = contentType
    }
}
