import Foundation

/// What a verified upload asks the bucket to do.
public struct VerifiedPost: Sendable, Hashable {
    /// The object key, with `${filename}` replaced.
    public let key: String
    /// The `Content-Type` form field, if sent.
    public let contentType: String?
    /// Where to send the browser after the upload, if asked.
    public let successActionRedirect: String?
    /// The status to answer with when there is no redirect (`200`, `201` or `204`).
    public let successActionStatus: Int
    /// `Cache-Control`, `Content-Disposition` and `x-amz-meta-*` fields to store with the object.
    public let storedHeaders: [PresignedPost.Field]
    /// The smallest file every `content-length-range` condition allows (0 without one).
    public let minimumFileSize: Int
    /// The largest file every `content-length-range` condition allows (`Int.max` without one).
    public let maximumFileSize: Int

    /// Throws S3's error unless the policy allows a file of `size` bytes.
    public func checkSize(_ size: Int) throws(PostUploadError) {
        if size > maximumFileSize { throw .entityTooLarge(size: size, maximum: maximumFileSize) }
        if size < minimumFileSize { throw .entityTooSmall(size: size, minimum: minimumFileSize) }
    }
}
