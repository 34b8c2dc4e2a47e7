public import Foundation
public import SigV4

/// What the local bucket did with an accepted POST upload, and how to answer the browser.
public struct StoredUpload: Sendable, Hashable {
    public let key: String
    /// The stored object's entity tag, with quotes.
    public let etag: String
    /// `success_action_redirect` with `bucket`, `key` and `etag` appended, as S3 answers with a 303; nil without one.
    public let redirect: String?
    /// The status to answer with when there is no redirect.
    public let status: Int
}

extension LocalBucket {
    /// The verifier for uploads into this bucket: its name, region and the one key pair it knows.
    public var postVerifier: PostPolicyVerifier {
        let credentials = self.credentials
        return PostPolicyVerifier(bucket: bucket, region: region) {
            $0 == credentials.accessKeyID ? credentials.secretAccessKey : nil
        }
    }

    /// Verifies the fields that came before the file exactly as S3 would (signature, expiry, every
    /// condition but the file's size) and opens the upload that receives the file; throws
    /// `PostUploadError` for a form S3 would refuse, before any of the file is kept.
    public func beginUpload(fields: [PresignedPost.Field], fileName: String?, now: Date) throws -> IncomingUpload {
        let verified = try postVerifier.verify(fields: fields, fileName: fileName, now: now)
        do {
            try Self.validate(key: verified.key)
        } catch {
            throw PostUploadError.invalidKey("The key '\(verified.key)' cannot be stored: \(error)")
        }
        return try IncomingUpload(bucket: self, verified: verified)
    }

    /// Verifies a browser POST upload held whole in memory exactly as S3 would and stores the file;
    /// nothing is stored when it fails.
    public func receive(_ form: PostForm, file: Data, now: Date) async throws -> StoredUpload {
        let upload = try beginUpload(fields: form.fields, fileName: form.fileName, now: now)
        try file.withUnsafeBytes { try upload.write($0) }
        return try upload.finish()
    }
}
