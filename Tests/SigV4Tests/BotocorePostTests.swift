import Foundation
import SigV4
import TestSupport
import Testing

/// Our presigned POST against botocore's `generate_presigned_post` for the same clock, credentials and
/// conditions; then our verifier against forms botocore made.
struct BotocorePostTests {
    static let now = AmzDate(iso8601: "2026-11-25T13:45:07Z")!.date
    static let redirect = "http://127.0.0.1:8080/uploaded"
    static let maximum = 20 * 1024 * 1024

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let credentials: Credentials
        let region: String
        let key: String
        let redirect: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "gallery upload",
            credentials: Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "s3cr3t/KEY+x"),
            region: "us-east-1", key: "photos/0b8f6c1e-2d1a-4e0e-9f57-3f7f7c2b9a10", redirect: redirect),
        Case(
            name: "temporary credentials, other region, non-ASCII redirect",
            credentials: Credentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "abc", sessionToken: "FQoG//token=="),
            region: "eu-central-1", key: "photos/ünïcode key", redirect: "https://example.com/uploaded?next=Zürich"),
        Case(
            name: "key with ${filename}", credentials: Credentials(accessKeyID: "AKID2", secretAccessKey: "k"),
            region: "ap-southeast-2", key: "photos/user-1/${filename}", redirect: redirect),
    ]

    static func ours(_ c: Case) -> PresignedPost {
        PostPresigner(signer: RequestSigner(credentials: c.credentials, region: c.region)).presign(
            bucket: "gallery", key: c.key, fields: [.init("success_action_redirect", c.redirect)],
            conditions: [
                .startsWith(field: "Content-Type", prefix: "image/"), .contentLengthRange(1...maximum),
                .equals(field: "success_action_redirect", value: c.redirect),
            ], expiresIn: 600, now: now)
    }

    static func botocores(_ c: Case) throws -> [String: String] {
        var request: [String: Any] = [
            "access_key": c.credentials.accessKeyID, "secret_key": c.credentials.secretAccessKey,
            "region": c.region, "endpoint": "http://127.0.0.1:8080", "bucket": "gallery", "key": c.key,
            "fields": ["success_action_redirect": c.redirect],
            "conditions": [
                ["starts-with", "$Content-Type", "image/"], ["content-length-range", 1, maximum],
                ["success_action_redirect": c.redirect],
            ] as [Any],
            "expires_in": 600, "now": AmzDate(now).iso8601,
        ]
        if let token = c.credentials.sessionToken { request["token"] = token }
        let answer = try PythonPeer.json("botocore_presign.py", request: request)
        return try #require(answer["fields"] as? [String: String])
    }

    @Test(arguments: cases)
    func fieldsEqualBotocores(_ c: Case) throws {
        let ours = Self.ours(c)
        let theirs = try Self.botocores(c)
        #expect(Dictionary(uniqueKeysWithValues: ours.fields.map { ($0.name, $0.value) }) == theirs)
        #expect(ours.fields.map(\.name).last == "x-amz-signature")
        #expect(ours.expiration == Self.now.addingTimeInterval(600))
    }

    /// A form as a browser would send botocore's fields, with a file of `size` bytes.
    static func form(_ fields: [String: String], contentType: String = "image/png", size: Int = 68) -> PostForm {
        var list = fields.sorted { $0.key < $1.key }.map { PresignedPost.Field($0.key, $0.value) }
        list.append(.init("Content-Type", contentType))
        return PostForm(fields: list, fileName: "cat.png", fileSize: size)
    }

    static let galleryCase = cases[0]
    static let verifier = PostPolicyVerifier(bucket: "gallery", region: "us-east-1") {
        $0 == galleryCase.credentials.accessKeyID ? galleryCase.credentials.secretAccessKey : nil
    }

    @Test func verifierAcceptsBotocoresForm() throws {
        let fields = try Self.botocores(Self.galleryCase)
        let verified = try Self.verifier.verify(Self.form(fields), now: Self.now.addingTimeInterval(599))
        #expect(verified.key == Self.galleryCase.key)
        #expect(verified.contentType == "image/png")
        #expect(verified.successActionRedirect == Self.redirect)
    }

    @Test func verifierRejectsEachTamperedForm() throws {
        let fields = try Self.botocores(Self.galleryCase)
        let inTime = Self.now.addingTimeInterval(60)
        func attempt(_ form: PostForm, at date: Date = inTime) -> PostUploadError? {
            do {
                _ = try Self.verifier.verify(form, now: date)
                return nil
            } catch {
                return error
            }
        }
        var tamperedSignature = fields
        tamperedSignature["x-amz-signature"] = String(fields["x-amz-signature"]!.reversed())
        #expect(attempt(Self.form(tamperedSignature)) == .signatureMismatch)

        // A policy that allows any key, signed by nobody: the signature no longer matches.
        var tamperedPolicy = fields
        let loosened = String(decoding: Data(base64Encoded: fields["policy"]!)!, as: UTF8.self)
            .replacingOccurrences(
                of: "{\"key\": \"\(Self.galleryCase.key)\"}", with: "[\"starts-with\", \"$key\", \"\"]")
        #expect(loosened.contains("starts-with\", \"$key\""))
        tamperedPolicy["policy"] = Data(loosened.utf8).base64EncodedString()
        tamperedPolicy["key"] = "index.html"
        #expect(attempt(Self.form(tamperedPolicy)) == .signatureMismatch)

        #expect(attempt(Self.form(fields), at: Self.now.addingTimeInterval(600)) == .policyExpired)

        var wrongKey = fields
        wrongKey["key"] = "photos/someone-elses-key"
        #expect(attempt(Self.form(wrongKey)) == .conditionFailed("[\"eq\", \"$key\", \"\(Self.galleryCase.key)\"]"))

        #expect(
            attempt(Self.form(fields, contentType: "text/html"))
                == .conditionFailed("[\"starts-with\", \"$Content-Type\", \"image/\"]"))
        #expect(
            attempt(Self.form(fields, size: Self.maximum + 1))
                == .entityTooLarge(size: Self.maximum + 1, maximum: Self.maximum))
        #expect(attempt(Self.form(fields, size: 0)) == .entityTooSmall(size: 0, minimum: 1))

        var extra = fields
        extra["acl"] = "public-read-write"
        #expect(attempt(Self.form(extra)) == .extraField("acl"))

        var ignored = fields
        ignored["x-ignore-anything"] = "fine"
        #expect(attempt(Self.form(ignored)) == nil)

        var redirected = fields
        redirected["success_action_redirect"] = "https://evil.example/"
        #expect(attempt(Self.form(redirected))?.code == "AccessDenied")

        var missing = fields
        missing["x-amz-credential"] = nil
        #expect(attempt(Self.form(missing)) == .missingField("x-amz-credential"))
    }

    @Test func errorsCarryS3CodesAndStatuses() {
        #expect(PostUploadError.signatureMismatch.httpStatus == 403)
        #expect(PostUploadError.policyExpired.code == "AccessDenied")
        #expect(PostUploadError.entityTooLarge(size: 2, maximum: 1).httpStatus == 400)
        #expect(PostUploadError.malformedRequest("x").code == "MalformedPOSTRequest")
    }
}
