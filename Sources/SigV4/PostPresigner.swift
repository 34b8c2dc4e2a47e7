public import Foundation

/// Builds SigV4 presigned POST policies and their form fields, exactly as botocore's `generate_presigned_post`.
public struct PostPresigner: Sendable {
    public let signer: RequestSigner

    /// Creates a presigner that signs with `signer`'s credentials, region and cached signing key.
    public init(signer: RequestSigner) {
        self.signer = signer
    }

    /// Presigns an upload of `key` into `bucket`.
    ///
    /// - Parameters:
    ///   - fields: fields the form sends as given (each needs a matching condition).
    ///   - conditions: conditions beyond the bucket, key and signing fields, which are added here.
    ///   - expiresIn: seconds from `now` until the policy expires.
    public func presign(
        bucket: String, key: String, fields: [PresignedPost.Field] = [], conditions: [PostPolicy.Condition] = [],
        expiresIn: Int, now: Date = Date()
    ) -> PresignedPost {
        let date = AmzDate(now)
        let expiration = AmzDate(now.addingTimeInterval(TimeInterval(expiresIn)))
        let signingKey = signer.signingKey(for: date)
        let credential = "\(signer.credentials.accessKeyID)/\(signingKey.scope)"
        var signed: [PresignedPost.Field] = [
            .init("x-amz-algorithm", "AWS4-HMAC-SHA256"), .init("x-amz-credential", credential),
            .init("x-amz-date", date.timestamp),
        ]
        if let token = signer.credentials.sessionToken { signed.append(.init("x-amz-security-token", token)) }

        var allConditions = conditions
        allConditions.append(.equals(field: "bucket", value: bucket))
        let filenameSuffix = "${filename}"
        if key.hasSuffix(filenameSuffix) {
            allConditions.append(.startsWith(field: "key", prefix: String(key.dropLast(filenameSuffix.count))))
        } else {
            allConditions.append(.equals(field: "key", value: key))
        }
        allConditions += signed.map { .equals(field: $0.name, value: $0.value) }

        let policy = PostPolicy(expiration: expiration, conditions: allConditions).base64
        let signature = signingKey.signature(for: policy)
        let all =
            fields + [.init("key", key)] + signed + [.init("policy", policy), .init("x-amz-signature", signature)]
        return PresignedPost(fields: all, expiration: expiration.date)
    }
}
