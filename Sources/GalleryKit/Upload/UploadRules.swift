import ImageProcessing

/// What the service accepts as an upload, for the uploader script to check files against before
/// sending anything (`GET /upload`): the size limit and the types. The service's settings, not the
/// pages': the bucket's pages are also written by operators' commands, which do not know them.
public struct UploadRules: Sendable, Hashable, Encodable {
    /// The largest upload, in bytes.
    public let maximumBytes: Int
    /// The same in MiB, as the pages show it ("20", "1.5").
    public let maximumMegabytes: String
    /// The accepted media types (the signed `Content-Type` is one of them).
    public let accept: [String]
    /// The accepted formats in words: "JPEG, PNG, WebP or GIF".
    public let formats: String
    /// The longest title, in characters.
    public let maximumTitleLength: Int

    public init(_ configuration: GalleryConfiguration) {
        maximumBytes = configuration.maximumUploadBytes
        maximumMegabytes = PageRenderer.shownMebibytes(configuration.maximumUploadBytes)
        accept = configuration.acceptedFormats.flatMap(\.mediaTypes)
        formats = EnglishList.or(configuration.acceptedFormats.map(\.label))
        maximumTitleLength = Title.maximumLength
    }
}
