import Crypto
public import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// Plays SNS in tests: a fresh RSA key and a self-signed certificate for it, and messages signed
/// the way SNS signs them (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA).
public struct SNSTestSigner: Sendable {
    /// Where the messages say the certificate is.
    public let certificateURL: String
    /// The certificate, PEM.
    public let certificatePEM: Data
    private let key: _RSA.Signing.PrivateKey

    /// A key and a certificate valid from an hour before `now` for `validFor`.
    public init(
        certificateURL: String = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem",
        now: Date = Date(), validFor: TimeInterval = 86_400
    ) throws {
        key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let name = try DistinguishedName { CommonName("sns.amazonaws.com") }
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now - 3600, notValidAfter: now + validFor, issuer: name, subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: .init(), issuerPrivateKey: .init(key))
        certificatePEM = Data(try certificate.serializeAsPEM().pemString.utf8)
        self.certificateURL = certificateURL
    }

    /// An SNS notification carrying `message` (an S3 event, say), signed; `tamper` edits it after signing.
    public func notification(
        _ message: String, version: String = "2", subject: String? = nil, topic: String = SNSTestSigner.topic,
        sentAt: Date = Date(), messageID: String = UUID().uuidString,
        tamper: (inout [String: String]) -> Void = { _ in }
    ) throws -> Data {
        var fields = [
            "Type": "Notification", "MessageId": messageID, "TopicArn": topic,
            "Message": message, "Timestamp": Self.timestamp(sentAt), "SignatureVersion": version,
            "SigningCertURL": certificateURL,
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=x",
        ]
        if let subject { fields["Subject"] = subject }
        var text = "Message\n\(message)\nMessageId\n\(fields["MessageId"]!)\n"
        if let subject { text += "Subject\n\(subject)\n" }
        text += "Timestamp\n\(fields["Timestamp"]!)\nTopicArn\n\(fields["TopicArn"]!)\nType\nNotification\n"
        fields["Signature"] = try sign(text, version: version)
        tamper(&fields)
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    }

    /// A signed SubscriptionConfirmation with `subscribeURL`.
    public func subscriptionConfirmation(_ subscribeURL: String, version: String = "2") throws -> Data {
        var fields = [
            "Type": "SubscriptionConfirmation", "MessageId": UUID().uuidString, "Token": "token-123",
            "TopicArn": Self.topic,
            "Message": "You have chosen to subscribe to the topic.", "SubscribeURL": subscribeURL,
            "Timestamp": Self.timestamp(Date()), "SignatureVersion": version, "SigningCertURL": certificateURL,
        ]
        let order = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        fields["Signature"] = try sign(order.map { "\($0)\n\(fields[$0]!)\n" }.joined(), version: version)
        return try JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys])
    }

    /// The topic the test messages come from.
    public static let topic = "arn:aws:sns:us-east-1:123456789012:gallery"

    /// SNS's Timestamp format: ISO 8601 UTC with milliseconds.
    static func timestamp(_ date: Date) -> String {
        date.formatted(
            .iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    private func sign(_ text: String, version: String) throws -> String {
        let data = Data(text.utf8)
        let signature =
            version == "1"
            ? try key.signature(for: Insecure.SHA1.hash(data: data), padding: .insecurePKCS1v1_5)
            : try key.signature(for: SHA256.hash(data: data), padding: .insecurePKCS1v1_5)
        return signature.rawRepresentation.base64EncodedString()
    }
}
