import Foundation
public import SigV4

/// Where a browser posts an upload: the URL and the signed form fields.
public struct UploadForm: Sendable, Hashable {
    public let url: String
    public let post: PresignedPost

    public init(url: String, post: PresignedPost) {
        self.url = url
        self.post = post
    }
}
