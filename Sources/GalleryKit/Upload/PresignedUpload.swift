public import Foundation
import SigV4

/// A presigned upload ready to hand to a browser, with the job that will title it.
public struct PresignedUpload: Sendable, Hashable {
    /// The key the photo will be stored under.
    public let key: String
    /// The normalised title the photo will get.
    public let title: Title
    /// Where and what to post.
    public let form: UploadForm
    /// When the policy stops being accepted.
    public var expiresAt: Date { form.post.expiration }
    /// The uploader's own link to remove the photo (`ManageLink`), when the service signs them.
    public var manageURL: String?

    public init(key: String, title: Title, form: UploadForm) {
        self.key = key
        self.title = title
        self.form = form
    }
}
