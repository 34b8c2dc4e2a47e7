import Foundation
import SigV4
import Testing

/// AWS's documented browser-upload example ("Example: Browser-Based Upload using HTTP POST (Using AWS
/// Signature Version 4)", sigv4examplebucket, 2015-12-29), copied from `shared/vectors/sigv4-s3.json`.
struct PostPolicyVectorTests {
    static let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    static let policyJSON =
        "{ \"expiration\": \"2015-12-30T12:00:00.000Z\",\r\n  \"conditions\": [\r\n    {\"bucket\": \"sigv4examplebucket\"},\r\n    [\"starts-with\", \"$key\", \"user/user1/\"],\r\n    {\"acl\": \"public-read\"},\r\n    {\"success_action_redirect\": \"http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html\"},\r\n    [\"starts-with\", \"$Content-Type\", \"image/\"],\r\n    {\"x-amz-meta-uuid\": \"14365123651274\"},\r\n    {\"x-amz-server-side-encryption\": \"AES256\"},\r\n    [\"starts-with\", \"$x-amz-meta-tag\", \"\"],\r\n\r\n    {\"x-amz-credential\": \"AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request\"},\r\n    {\"x-amz-algorithm\": \"AWS4-HMAC-SHA256\"},\r\n    {\"x-amz-date\": \"20151229T000000Z\" }\r\n  ]\r\n}"
    static let policyBase64 =
        "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9"
    static let signature = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e"

    /// The example's form, field names capitalised as AWS's page has them.
    static func exampleForm(signature: String = signature, policy: String = policyBase64) -> PostForm {
        PostForm(
            fields: [
                .init("key", "user/user1/${filename}"), .init("acl", "public-read"),
                .init("success_action_redirect", "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"),
                .init("Content-Type", "image/jpeg"), .init("x-amz-meta-uuid", "14365123651274"),
                .init("x-amz-server-side-encryption", "AES256"),
                .init("X-Amz-Credential", "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"),
                .init("X-Amz-Algorithm", "AWS4-HMAC-SHA256"), .init("X-Amz-Date", "20151229T000000Z"),
                .init("x-amz-meta-tag", ""), .init("Policy", policy), .init("X-Amz-Signature", signature),
            ], fileName: "photo.jpg", fileSize: 1234)
    }

    static let verifier = PostPolicyVerifier(bucket: "sigv4examplebucket", region: "us-east-1") {
        $0 == "AKIAIOSFODNN7EXAMPLE" ? secret : nil
    }
    static let beforeExpiry = AmzDate(iso8601: "2015-12-29T12:00:00Z")!.date

    @Test func theDocumentedPolicyParsesToItsConditions() throws {
        let policy = try PostPolicy(json: Data(base64Encoded: Self.policyBase64)!)
        #expect(policy.expiration == AmzDate(iso8601: "2015-12-30T12:00:00.000Z"))
        #expect(
            policy.conditions == [
                .equals(field: "bucket", value: "sigv4examplebucket"),
                .startsWith(field: "key", prefix: "user/user1/"), .equals(field: "acl", value: "public-read"),
                .equals(
                    field: "success_action_redirect",
                    value: "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html"),
                .startsWith(field: "Content-Type", prefix: "image/"),
                .equals(field: "x-amz-meta-uuid", value: "14365123651274"),
                .equals(field: "x-amz-server-side-encryption", value: "AES256"),
                .startsWith(field: "x-amz-meta-tag", prefix: ""),
                .equals(field: "x-amz-credential", value: "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request"),
                .equals(field: "x-amz-algorithm", value: "AWS4-HMAC-SHA256"),
                .equals(field: "x-amz-date", value: "20151229T000000Z"),
            ])
        // The documented text is what the base64 holds (the vector file carries both).
        #expect(String(decoding: Data(base64Encoded: Self.policyBase64)!, as: UTF8.self) == Self.policyJSON)
    }

    @Test func signingKeyAndSignatureMatchTheDocumentedValues() {
        let key = SigningKey(
            secretAccessKey: Self.secret, scope: CredentialScope(dateStamp: "20151229", region: "us-east-1"))
        #expect(key.hexString == "cbcef1ebeaefc82cce6530b9f0a9ae598846065f5c5bae0674bd5ebc4ba52d28")
        #expect(key.signature(for: Self.policyBase64) == Self.signature)
    }

    @Test func parsesEveryConditionOfTheDocumentedPolicy() throws {
        let policy = try PostPolicy(json: Data(Self.policyJSON.utf8))
        #expect(policy.expiration == AmzDate(iso8601: "2015-12-30T12:00:00Z"))
        #expect(policy.conditions.count == 11)
        #expect(policy.conditions.contains(.startsWith(field: "Content-Type", prefix: "image/")))
        #expect(policy.conditions.contains(.equals(field: "bucket", value: "sigv4examplebucket")))
    }

    @Test func verifierAcceptsTheDocumentedUpload() throws {
        let verified = try Self.verifier.verify(Self.exampleForm(), now: Self.beforeExpiry)
        #expect(verified.key == "user/user1/photo.jpg")
        #expect(verified.contentType == "image/jpeg")
        #expect(verified.successActionRedirect == "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html")
        #expect(verified.storedHeaders.map(\.name) == ["x-amz-meta-uuid", "x-amz-meta-tag"])
    }

    @Test func verifierRejectsTheDocumentedUploadAfterItsExpiry() {
        let after = AmzDate(iso8601: "2015-12-30T12:00:01Z")!.date
        #expect(throws: PostUploadError.policyExpired) { try Self.verifier.verify(Self.exampleForm(), now: after) }
    }

    @Test func verifierRejectsAnotherBucket() {
        let other = PostPolicyVerifier(bucket: "another", region: "us-east-1") { _ in Self.secret }
        #expect(throws: PostUploadError.conditionFailed("[\"eq\", \"$bucket\", \"sigv4examplebucket\"]")) {
            try other.verify(Self.exampleForm(), now: Self.beforeExpiry)
        }
    }

    @Test func verifierRejectsAnUnknownAccessKeyAndAnotherRegion() {
        let stranger = PostPolicyVerifier(bucket: "sigv4examplebucket", region: "us-east-1") { _ in nil }
        #expect(throws: PostUploadError.invalidAccessKeyID) {
            try stranger.verify(Self.exampleForm(), now: Self.beforeExpiry)
        }
        let elsewhere = PostPolicyVerifier(bucket: "sigv4examplebucket", region: "eu-west-1") { _ in Self.secret }
        #expect(throws: PostUploadError.self) { try elsewhere.verify(Self.exampleForm(), now: Self.beforeExpiry) }
    }
}
