import Foundation
import SNSVerification
import TestSupport
import Testing

actor FetchLog {
    private(set) var urls: [String] = []
    func record(_ url: String) { urls.append(url) }
}

struct SNSSignatureVerifierTests {
    static let event = #"{"Records":[{"eventName":"ObjectCreated:Post","s3":{"object":{"key":"photos/a"}}}]}"#

    static func verifier(_ signer: SNSTestSigner, log: FetchLog = FetchLog()) -> SNSSignatureVerifier {
        let pem = signer.certificatePEM
        return SNSSignatureVerifier { url in
            await log.record(url)
            return pem
        }
    }

    static func message(_ data: Data) throws -> SNSMessage {
        try SNSMessage(json: data)
    }

    @Test(arguments: ["1", "2"])
    func acceptsSignedMessagesOfBothVersionsAndFetchesTheCertificateOnce(_ version: String) async throws {
        let signer = try SNSTestSigner()
        let log = FetchLog()
        let verifier = Self.verifier(signer, log: log)
        for subject in [nil, "Amazon S3 Notification"] {
            try await verifier.verify(
                try Self.message(try signer.notification(Self.event, version: version, subject: subject)))
        }
        try await verifier.verify(
            try Self.message(
                try signer.subscriptionConfirmation(
                    "https://sns.us-east-1.amazonaws.com/?Action=Confirm", version: version)))
        #expect(await log.urls == [signer.certificateURL])  // cached after the first
        print("SNS v\(version): 3 signed messages verified, certificate fetched \(await log.urls.count) time")
    }

    @Test(arguments: [
        ("Message", #"{"Records":[{"s3":{"object":{"key":"photos/evil"}}}]}"#),
        ("TopicArn", "arn:aws:sns:us-east-1:1:other"),
        ("Timestamp", "2030-01-01T00:00:00.000Z"), ("Signature", Data(repeating: 7, count: 256).base64EncodedString()),
        ("SignatureVersion", "1"),
    ])
    func refusesAnythingChangedAfterSigning(_ field: String, _ value: String) async throws {
        let signer = try SNSTestSigner()
        let data = try signer.notification(Self.event) { $0[field] = value }
        await #expect(throws: SNSSignatureVerifier.Failure.self) {
            try await Self.verifier(signer).verify(try Self.message(data))
        }
    }

    @Test(arguments: [
        "http://sns.us-east-1.amazonaws.com/cert.pem", "https://sns.us-east-1.amazonaws.com.evil.example/cert.pem",
        "https://evil.example/sns.us-east-1.amazonaws.com/cert.pem",
        "https://sns.us-east-1.amazonaws.com:8443/cert.pem",
        "https://user@sns.us-east-1.amazonaws.com/cert.pem", "https://sns.us-east-1.amazonaws.com/cert.txt",
        "https://sqs.us-east-1.amazonaws.com/cert.pem", "https://sns..amazonaws.com/cert.pem",
        "https://sns.us-east-1.amazonaws.com/cert.pem?x=.pem", "file:///etc/sns.pem",
    ])
    func fetchesCertificatesOnlyFromSNSOwnHTTPSHosts(_ url: String) async throws {
        let signer = try SNSTestSigner(certificateURL: url)
        let log = FetchLog()
        await #expect(throws: SNSSignatureVerifier.Failure.self) {
            try await Self.verifier(signer, log: log).verify(try Self.message(try signer.notification(Self.event)))
        }
        #expect(await log.urls.isEmpty, "fetched \(url)")
        print("SNS certificate URL refused without a fetch: \(url)")
    }

    /// One host rule for what the service fetches on a message's word: certificates and
    /// subscription confirmations, China's regions included.
    @Test func onlySNSOwnURLsAreTrustedForConfirmation() {
        for url in [
            "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription",
            "https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription",
        ] {
            #expect(SNSMessage.isTrustedSubscribeURL(url), "\(url)")
        }
        for url in [
            "http://sns.eu-west-1.amazonaws.com/", "https://sns.eu-west-1.amazonaws.com.evil.com/",
            "https://evil.com/sns.us-east-1.amazonaws.com", "https://sqs.us-east-1.amazonaws.com/",
            "https://user@sns.us-east-1.amazonaws.com/", "https://sns.us-east-1.amazonaws.com:8443/",
            "https://sns.us-east-1.amazonaws.cn/", "https://127.0.0.1/", "not a url",
        ] {
            #expect(!SNSMessage.isTrustedSubscribeURL(url), "\(url)")
        }
    }

    @Test func trustsTheDocumentedHosts() {
        #expect(
            SNSMessage.isTrustedCertificateURL("https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem"))
        #expect(
            SNSMessage.isTrustedCertificateURL(
                "https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem"))
    }

    @Test func refusesExpiredCertificatesUnknownVersionsAndMissingFields() async throws {
        let old = try SNSTestSigner(now: Date() - 10 * 86_400, validFor: 86_400)
        await #expect(throws: SNSSignatureVerifier.Failure.self) {
            try await Self.verifier(old).verify(try Self.message(try old.notification(Self.event)))
        }
        let signer = try SNSTestSigner()
        await #expect(throws: SNSSignatureVerifier.Failure.self) {
            try await Self.verifier(signer).verify(
                try Self.message(try signer.notification(Self.event) { $0["SignatureVersion"] = "3" }))
        }
        #expect(throws: SNSMessage.Problem.self) {
            try Self.message(try signer.notification(Self.event) { $0["Signature"] = nil })
        }
        let notPEM = SNSSignatureVerifier { _ in Data("not a certificate".utf8) }
        await #expect(throws: SNSSignatureVerifier.Failure.self) {
            try await notPEM.verify(try Self.message(try signer.notification(Self.event)))
        }
    }
}
