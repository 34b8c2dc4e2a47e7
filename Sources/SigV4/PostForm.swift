import Foundation

/// The fields of a browser POST upload as they arrived, in order, up to the `file` field.
public struct PostForm: Sendable, Hashable {
    /// Form fields before `file`, in order. Fields after `file` are ignored, as S3 ignores them.
    public var fields: [PresignedPost.Field]
    /// The file name the browser sent with the file, if any.
    public var fileName: String?
    /// The file's size in bytes.
    public var fileSize: Int

    /// Creates a form.
    public init(fields: [PresignedPost.Field], fileName: String?, fileSize: Int) {
        self.fields = fields
        self.fileName = fileName
        self.fileSize = fileSize
    }
}
