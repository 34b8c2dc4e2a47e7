import Foundation
import SigV4
import Testing

/// AWS's documented header-signing examples ("Signature Calculations for the Authorization Header",
/// examplebucket, 2013-05-24), copied from `shared/vectors/sigv4-s3.json`.
struct HeaderSigningVectorTests {
    static let credentials = Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    static let date = AmzDate(timestamp: "20130524T000000Z")!
    static let emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    struct Vector: Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: [(name: String, value: String)]
        let headers: [(name: String, value: String)]
        let payloadHash: String
        let canonicalRequest: String
        let stringToSign: String
        let signature: String
        var testDescription: String { name }
    }

    static let vectors: [Vector] = [
        Vector(
            name: "get-object-with-range", method: "GET", path: "/test.txt", query: [],
            headers: [
                ("host", "examplebucket.s3.amazonaws.com"), ("range", "bytes=0-9"),
                ("x-amz-content-sha256", emptyHash), ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: emptyHash,
            canonicalRequest:
                "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            stringToSign:
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
            signature: "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"),
        Vector(
            name: "put-object", method: "PUT", path: "/test$file.text", query: [],
            headers: [
                ("date", "Fri, 24 May 2013 00:00:00 GMT"), ("host", "examplebucket.s3.amazonaws.com"),
                ("x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"),
                ("x-amz-date", "20130524T000000Z"), ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payloadHash: "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
            canonicalRequest:
                "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\nx-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\ndate;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
            stringToSign:
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
            signature: "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"),
        Vector(
            name: "get-bucket-lifecycle", method: "GET", path: "/", query: [("lifecycle", "")],
            headers: [
                ("host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", emptyHash),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: emptyHash,
            canonicalRequest:
                "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            stringToSign:
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
            signature: "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"),
        Vector(
            name: "list-objects", method: "GET", path: "/", query: [("prefix", "J"), ("max-keys", "2")],
            headers: [
                ("host", "examplebucket.s3.amazonaws.com"), ("x-amz-content-sha256", emptyHash),
                ("x-amz-date", "20130524T000000Z"),
            ],
            payloadHash: emptyHash,
            canonicalRequest:
                "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\nx-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            stringToSign:
                "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\ndf57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
            signature: "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"),
    ]

    @Test func signingKeyMatchesTheDocumentedKey() {
        let key = SigningKey(
            secretAccessKey: Self.credentials.secretAccessKey,
            scope: CredentialScope(date: Self.date, region: "us-east-1"))
        #expect(key.hexString == "dbb893acc010964918f1fd433add87c70e8b0db6be30c1fbeafefa5ec6ba8378")
    }

    @Test(arguments: vectors)
    func canonicalRequestStringToSignAndSignature(_ vector: Vector) {
        let canonical = CanonicalRequest(
            method: vector.method, path: vector.path, query: vector.query, headers: vector.headers,
            payloadHash: vector.payloadHash)
        #expect(canonical.text == vector.canonicalRequest)
        let scope = CredentialScope(date: Self.date, region: "us-east-1")
        let stringToSign = canonical.stringToSign(date: Self.date, scope: scope)
        #expect(stringToSign == vector.stringToSign)
        let signer = RequestSigner(credentials: Self.credentials, region: "us-east-1")
        #expect(signer.signingKey(for: Self.date).signature(for: stringToSign) == vector.signature)
    }

    @Test(arguments: vectors)
    func signerProducesTheDocumentedAuthorizationHeader(_ vector: Vector) {
        let signer = RequestSigner(credentials: Self.credentials, region: "us-east-1")
        // The signer adds x-amz-date and x-amz-content-sha256 itself.
        let given = vector.headers.filter { $0.name != "x-amz-date" && $0.name != "x-amz-content-sha256" }
        let added = signer.sign(
            method: vector.method, path: vector.path, query: vector.query, headers: given,
            payloadHash: vector.payloadHash, date: Self.date.date)
        let authorization = added.first { $0.name == "Authorization" }?.value
        let signedHeaders = vector.headers.map(\.name).sorted().joined(separator: ";")
        #expect(
            authorization
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=\(signedHeaders), Signature=\(vector.signature)"
        )
    }

    @Test func sessionTokenIsSignedAndSent() {
        let signer = RequestSigner(
            credentials: Credentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "token/1"),
            region: "eu-west-1")
        let added = signer.sign(
            method: "GET", path: "/", headers: [("host", "h")], payloadHash: Self.emptyHash, date: Self.date.date)
        #expect(added.contains { $0.name == "x-amz-security-token" && $0.value == "token/1" })
        #expect(
            added.last?.value.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token")
                == true)
    }

    @Test func credentialsNeverPrintTheirSecrets() {
        let credentials = Credentials(accessKeyID: "AKID", secretAccessKey: "very-secret", sessionToken: "tok-secret")
        let printed = "\(credentials) \(String(reflecting: credentials))"
        #expect(!printed.contains("very-secret"))
        #expect(!printed.contains("tok-secret"))
        #expect(printed.contains("AKID"))
    }
}
