import Crypto
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

    /// Verifies a browser POST upload exactly as S3 would and stores the file; nothing is stored when it fails.
    public func receive(_ form: PostForm, file: Data, now: Date) async throws -> StoredUpload {
        let verified = try postVerifier.verify(form, now: now)
        do {
            try Self.validate(key: verified.key)
        } catch {
            throw PostUploadError.invalidKey("The key '\(verified.key)' cannot be stored: \(error)")
        }
        let contentType = verified.contentType.flatMap { $0.isEmpty ? nil : $0 } ?? "binary/octet-stream"
        let cacheControl = verified.storedHeaders.first { $0.name.lowercased() == "cache-control" }?.value
        try await put(key: verified.key, body: file, contentType: contentType, cacheControl: cacheControl)
        let etag = "\"" + Insecure.MD5.hash(data: file).hexString + "\""
        let redirect = verified.successActionRedirect.map { target in
            let query = [("bucket", bucket), ("key", verified.key), ("etag", etag)]
                .map { "\($0.0)=\(URIEncoding.encode($0.1))" }.joined(separator: "&")
            return target + (target.contains("?") ? "&" : "?") + query
        }
        return StoredUpload(key: verified.key, etag: etag, redirect: redirect, status: verified.successActionStatus)
    }
}
