/// Why S3 (or our local bucket, verifying as S3 does) refuses a browser POST upload.
///
/// Each case carries S3's error code, HTTP status and a message that says what to fix.
public enum PostUploadError: Error, Sendable, Hashable {
    /// The multipart body could not be read, or a field is repeated.
    case malformedRequest(String)
    /// A required form field is absent.
    case missingField(String)
    /// The policy is not valid base64 JSON of the documented shape.
    case invalidPolicyDocument(String)
    /// `x-amz-algorithm` is not `AWS4-HMAC-SHA256`, or `x-amz-credential`/`x-amz-date` are malformed or disagree.
    case invalidCredential(String)
    /// The access key ID is not one this bucket knows.
    case invalidAccessKeyID
    /// The signature is not the HMAC of the policy with the credential's signing key.
    case signatureMismatch
    /// The policy's expiration has passed.
    case policyExpired
    /// A form field fails a policy condition (the condition is named).
    case conditionFailed(String)
    /// A form field is not covered by any policy condition.
    case extraField(String)
    /// The file is larger than the policy's `content-length-range` allows.
    case entityTooLarge(size: Int, maximum: Int)
    /// The file is smaller than the policy's `content-length-range` allows.
    case entityTooSmall(size: Int, minimum: Int)
    /// The object key is not one this bucket stores.
    case invalidKey(String)

    /// S3's error code.
    public var code: String {
        switch self {
        case .malformedRequest: "MalformedPOSTRequest"
        case .missingField, .invalidKey: "InvalidArgument"
        case .invalidPolicyDocument: "InvalidPolicyDocument"
        case .invalidCredential: "AuthorizationQueryParametersError"
        case .invalidAccessKeyID: "InvalidAccessKeyId"
        case .signatureMismatch: "SignatureDoesNotMatch"
        case .policyExpired, .conditionFailed, .extraField: "AccessDenied"
        case .entityTooLarge: "EntityTooLarge"
        case .entityTooSmall: "EntityTooSmall"
        }
    }

    /// The HTTP status S3 answers with: 403 for authorisation failures, 400 for malformed requests.
    public var httpStatus: Int {
        switch self {
        case .invalidAccessKeyID, .signatureMismatch, .policyExpired, .conditionFailed, .extraField: 403
        default: 400
        }
    }

    /// A message in S3's words.
    public var message: String {
        switch self {
        case .malformedRequest(let detail):
            "The body of your POST request is not well-formed multipart/form-data. \(detail)"
        case .missingField(let field): "Bucket POST must contain a field named '\(field)'."
        case .invalidPolicyDocument(let detail), .invalidCredential(let detail): detail
        case .invalidAccessKeyID: "The AWS Access Key Id you provided does not exist in our records."
        case .signatureMismatch:
            "The request signature we calculated does not match the signature you provided. Check your key and signing method."
        case .policyExpired: "Invalid according to Policy: Policy expired."
        case .conditionFailed(let condition): "Invalid according to Policy: Policy Condition failed: \(condition)"
        case .extraField(let field): "Invalid according to Policy: Extra input fields: \(field)"
        case .entityTooLarge(let size, let maximum):
            "Your proposed upload of \(size) bytes exceeds the maximum allowed size of \(maximum) bytes."
        case .entityTooSmall(let size, let minimum):
            "Your proposed upload of \(size) bytes is smaller than the minimum allowed size of \(minimum) bytes."
        case .invalidKey(let detail): detail
        }
    }
}
