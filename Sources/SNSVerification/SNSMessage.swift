public import Foundation

/// An Amazon SNS message as delivered to an HTTP(S) endpoint, with what its signature covers.
public struct SNSMessage: Sendable, Hashable {
    public let type: String
    public let messageID: String
    public let topicARN: String
    public let message: String
    public let subject: String?
    public let timestamp: String
    public let token: String?
    public let subscribeURL: String?
    public let signatureVersion: String
    public let signature: Data
    public let signingCertURL: String

    /// Why a body is not a signed SNS message.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// Reads the SNS fields of a parsed JSON body; throws when one the signature needs is missing.
    public init(_ object: [String: Any]) throws(Problem) {
        func field(_ name: String) throws(Problem) -> String {
            guard let value = object[name] as? String else {
                throw Problem(description: "The SNS message has no \(name).")
            }
            return value
        }
        type = try field("Type")
        messageID = try field("MessageId")
        topicARN = try field("TopicArn")
        message = try field("Message")
        timestamp = try field("Timestamp")
        subject = object["Subject"] as? String
        token = object["Token"] as? String
        subscribeURL = object["SubscribeURL"] as? String
        signatureVersion = try field("SignatureVersion")
        guard let signature = Data(base64Encoded: try field("Signature")) else {
            throw Problem(description: "The SNS message's Signature is not base64.")
        }
        self.signature = signature
        signingCertURL = try field("SigningCertURL")
        if type != "Notification", token == nil || subscribeURL == nil {
            throw Problem(description: "The SNS \(type) has no Token or SubscribeURL.")
        }
    }

    /// The text SNS signs: the message's fields, each as `Name\nvalue\n`, in the documented order
    /// (Subject only when present; Token and SubscribeURL for subscription messages).
    public var stringToSign: String {
        var pairs: [(String, String)] = [("Message", message), ("MessageId", messageID)]
        if type == "Notification" {
            if let subject { pairs.append(("Subject", subject)) }
            pairs += [("Timestamp", timestamp), ("TopicArn", topicARN), ("Type", type)]
        } else {
            pairs += [
                ("SubscribeURL", subscribeURL ?? ""), ("Timestamp", timestamp), ("Token", token ?? ""),
                ("TopicArn", topicARN), ("Type", type),
            ]
        }
        return pairs.map { $0.0 + "\n" + $0.1 + "\n" }.joined()
    }

    /// Whether `text` is where SNS keeps signing certificates: a `.pem` file on an SNS host
    /// (`SNSHost`), with no query.
    public static func isTrustedCertificateURL(_ text: String) -> Bool {
        guard let url = URL(string: text), SNSHost.isTrusted(url), url.query == nil, url.path.hasSuffix(".pem")
        else { return false }
        return true
    }

    /// Whether an SNS SubscribeURL may be fetched to confirm a subscription: on an SNS host (`SNSHost`).
    public static func isTrustedSubscribeURL(_ text: String) -> Bool {
        URL(string: text).map(SNSHost.isTrusted) ?? false
    }
}
