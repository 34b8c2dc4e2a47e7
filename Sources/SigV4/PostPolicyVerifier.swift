public import Foundation

/// Verifies browser POST uploads exactly as S3 does for SigV4: credential scope, signature over the
/// base64 policy, expiration, every condition, and every field covered by a condition.
public struct PostPolicyVerifier: Sendable {
    /// The bucket being posted to.
    public let bucket: String
    /// The region signatures must be scoped to.
    public let region: String
    /// Looks up the secret access key for an access key ID; nil for unknown IDs.
    public let secretForAccessKey: @Sendable (String) -> String?

    /// Creates a verifier for uploads into `bucket`.
    public init(bucket: String, region: String, secretForAccessKey: @escaping @Sendable (String) -> String?) {
        self.bucket = bucket
        self.region = region
        self.secretForAccessKey = secretForAccessKey
    }

    /// Fields that need no policy condition.
    private static func isExempt(_ name: String) -> Bool {
        name == "policy" || name == "x-amz-signature" || name == "file" || name.hasPrefix("x-ignore-")
    }

    /// Checks `form` at `now`; returns what to store, or throws the error S3 would answer with.
    public func verify(_ form: PostForm, now: Date) throws(PostUploadError) -> VerifiedPost {
        let verified = try verify(fields: form.fields, fileName: form.fileName, now: now)
        try verified.checkSize(form.fileSize)
        return verified
    }

    /// Checks the fields that come before the file at `now`: everything S3 checks except the file's
    /// size, which the caller checks with `VerifiedPost.checkSize` as the file arrives. A forged or
    /// expired form is refused before a byte of its file is read.
    public func verify(fields: [PresignedPost.Field], fileName: String?, now: Date) throws(PostUploadError)
        -> VerifiedPost
    {
        var values: [String: String] = [:]
        for field in fields {
            let name = field.name.lowercased()
            guard values.updateValue(field.value, forKey: name) == nil else {
                throw .malformedRequest("POST requires exactly one '\(field.name)' field per request.")
            }
        }
        guard let key = values["key"] else { throw .missingField("key") }
        guard let policyText = values["policy"] else { throw .missingField("policy") }
        guard let signature = values["x-amz-signature"] else { throw .missingField("x-amz-signature") }
        guard let algorithm = values["x-amz-algorithm"] else { throw .missingField("x-amz-algorithm") }
        guard let credential = values["x-amz-credential"] else { throw .missingField("x-amz-credential") }
        guard let dateText = values["x-amz-date"] else { throw .missingField("x-amz-date") }

        guard algorithm == "AWS4-HMAC-SHA256" else {
            throw .invalidCredential("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\".")
        }
        guard let date = AmzDate(timestamp: dateText) else {
            throw .invalidCredential("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\".")
        }
        let scope = try self.scope(of: credential, signedAt: date)
        guard let secret = secretForAccessKey(scope.accessKeyID) else { throw .invalidAccessKeyID }
        let expected = SigningKey(secretAccessKey: secret, scope: scope.scope).signature(for: policyText)
        guard ConstantTime.equals(expected, signature) else { throw .signatureMismatch }

        guard let policyBytes = Data(base64Encoded: policyText) else {
            throw .invalidPolicyDocument("Invalid Policy: Invalid Base64 encoding.")
        }
        let policy = try PostPolicy(json: policyBytes)
        guard AmzDate(now) < policy.expiration else { throw .policyExpired }

        var covered: Set<String> = []
        var (minimumFileSize, maximumFileSize) = (0, Int.max)
        for condition in policy.conditions {
            if case .contentLengthRange(let range) = condition {
                minimumFileSize = max(minimumFileSize, range.lowerBound)
                maximumFileSize = min(maximumFileSize, range.upperBound)
                continue
            }
            try check(condition, values: values)
            if let name = condition.fieldName { covered.insert(name) }
        }
        for field in fields where !Self.isExempt(field.name.lowercased()) {
            guard covered.contains(field.name.lowercased()) else { throw .extraField(field.name) }
        }

        let storedKey = key.replacingOccurrences(of: "${filename}", with: fileName ?? "")
        guard !storedKey.isEmpty, storedKey.utf8.count <= 1024 else {
            throw .invalidKey("Object keys must be 1 to 1024 bytes of UTF-8.")
        }
        let status = Int(values["success_action_status"] ?? "") ?? 204
        let stored = fields.filter {
            let name = $0.name.lowercased()
            return name == "cache-control" || name == "content-disposition" || name.hasPrefix("x-amz-meta-")
        }
        return VerifiedPost(
            key: storedKey, contentType: values["content-type"],
            successActionRedirect: values["success_action_redirect"] ?? values["redirect"],
            successActionStatus: [200, 201].contains(status) ? status : 204, storedHeaders: stored,
            minimumFileSize: minimumFileSize, maximumFileSize: maximumFileSize)
    }

    private func scope(of credential: String, signedAt date: AmzDate) throws(PostUploadError) -> (
        accessKeyID: String, scope: CredentialScope
    ) {
        let parts = credential.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, !parts[0].isEmpty, parts[4] == "aws4_request" else {
            throw .invalidCredential(
                "Error parsing the X-Amz-Credential parameter; it must be <access key>/<date>/<region>/s3/aws4_request."
            )
        }
        guard parts[1] == date.dateStamp else {
            throw .invalidCredential(
                "Error parsing the X-Amz-Credential parameter; the date '\(parts[1])' does not match X-Amz-Date.")
        }
        guard parts[2] == region else {
            throw .invalidCredential(
                "Error parsing the X-Amz-Credential parameter; the region '\(parts[2])' is wrong; expecting '\(region)'."
            )
        }
        guard parts[3] == "s3" else {
            throw .invalidCredential(
                "Error parsing the X-Amz-Credential parameter; incorrect service '\(parts[3])'. This endpoint belongs to 's3'."
            )
        }
        return (parts[0], CredentialScope(dateStamp: parts[1], region: parts[2], service: parts[3]))
    }

    private func check(_ condition: PostPolicy.Condition, values: [String: String]) throws(PostUploadError) {
        switch condition {
        case .equals(let field, let expected):
            let actual =
                field.lowercased() == "bucket" ? (values["bucket"] ?? bucket) : (values[field.lowercased()] ?? "")
            let bucketMatches = field.lowercased() != "bucket" || bucket == expected
            guard actual.utf8.elementsEqual(expected.utf8), bucketMatches else {
                throw .conditionFailed("[\"eq\", \"$\(field)\", \"\(expected)\"]")
            }
        case .startsWith(let field, let prefix):
            guard (values[field.lowercased()] ?? "").utf8.starts(with: prefix.utf8) else {
                throw .conditionFailed("[\"starts-with\", \"$\(field)\", \"\(prefix)\"]")
            }
        case .contentLengthRange:
            break  // checked against the file as it arrives: `VerifiedPost.checkSize`
        }
    }
}
