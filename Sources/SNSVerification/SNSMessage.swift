public import Foundation

/// An Amazon SNS message as delivered to an HTTP(S) endpoint, with what its signature covers.
public struct SNSMessage: Sendable, Hashable, Decodable {
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

    /// Reads an SNS message from its JSON body; throws `Problem` when the body is not a JSON object
    /// or a field the signature needs is missing.
    public init(json: Data) throws(Problem) {
        do {
            self = try JSONDecoder().decode(SNSMessage.self, from: json)
        } catch let problem as Problem {
            throw problem
        } catch {
            throw Problem(description: "The SNS message is not a JSON object.")
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

    private enum CodingKeys: String, CodingKey {
        case type = "Type"
        case messageID = "MessageId"
        case topicARN = "TopicArn"
        case message = "Message"
        case subject = "Subject"
        case timestamp = "Timestamp"
        case token = "Token"
        case subscribeURL = "SubscribeURL"
        case signatureVersion = "SignatureVersion"
        case signature = "Signature"
        case signingCertURL = "SigningCertURL"
    }

    /// Decodes the SNS fields of a JSON object; throws `Problem` when one the signature needs is
    /// missing or is not a string (fields it does not cover are optional and read only as strings).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func optional(_ key: CodingKeys) -> String? { try? container.decodeIfPresent(String.self, forKey: key) }
        func field(_ key: CodingKeys) throws(Problem) -> String {
            guard let value = optional(key) else {
                throw Problem(description: "The SNS message has no \(key.rawValue).")
            }
            return value
        }
        type = try field(.type)
        messageID = try field(.messageID)
        topicARN = try field(.topicARN)
        message = try field(.message)
        timestamp = try field(.timestamp)
        subject = optional(.subject)
        token = optional(.token)
        subscribeURL = optional(.subscribeURL)
        signatureVersion = try field(.signatureVersion)
        guard let signature = Data(base64Encoded: try field(.signature)) else {
            throw Problem(description: "The SNS message's Signature is not base64.")
        }
        self.signature = signature
        signingCertURL = try field(.signingCertURL)
        if type != "Notification", token == nil || subscribeURL == nil {
            throw Problem(description: "The SNS \(type) has no Token or SubscribeURL.")
        }
    }
}
