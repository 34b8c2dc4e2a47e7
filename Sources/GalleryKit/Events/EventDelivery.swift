public import Foundation
import SNSVerification
import SigV4

/// What an event delivery asks of the service, decoded from any of the shapes it arrives in:
/// an S3 event notification, the same wrapped by SNS, or MinIO's webhook.
public struct EventDelivery: Sendable, Hashable {
    /// Keys of objects that were created, decoded (S3 URL-encodes keys, `+` for spaces).
    public var createdKeys: [String] = []
    /// Events that are not object creation (deletions, tag changes, test events), counted and ignored.
    public var ignored = 0
    /// An SNS subscription asks to be confirmed by a GET of this URL.
    public var subscribeURL: String?

    public init(createdKeys: [String] = [], ignored: Int = 0, subscribeURL: String? = nil) {
        self.createdKeys = createdKeys
        self.ignored = ignored
        self.subscribeURL = subscribeURL
    }

    /// Why a body is not an event delivery.
    public struct Problem: Error, Sendable, Hashable, CustomStringConvertible {
        public let description: String
    }

    /// The largest event body accepted.
    public static let maximumBodyBytes = 256 * 1024

    /// Parses an event body. Pure: checking an SNS signature, confirming subscriptions and
    /// processing keys are the caller's job (`/events` decodes the envelope itself, to check the
    /// signature before believing what it says).
    public static func parse(_ body: Data) throws(Problem) -> EventDelivery {
        let envelope: EventEnvelope
        do {
            envelope = try EventEnvelope.decode(body)
        } catch {
            throw Problem(description: error.description)
        }
        return try EventDelivery(envelope)
    }

    /// What `envelope` asks for.
    public init(_ envelope: EventEnvelope) throws(Problem) {
        switch envelope {
        case .sns(let message):
            switch message.type {
            case "Notification":
                // S3's test event and anything else that is not an object carries no keys.
                guard
                    let inner = try? EventEnvelope.decoder.decode(
                        S3EventNotification.self, from: Data(message.message.utf8))
                else {
                    self.init(ignored: 1)
                    return
                }
                try self.init(records: inner)
            case "SubscriptionConfirmation":
                guard let url = message.subscribeURL else {
                    throw Problem(description: "The SNS subscription confirmation has no SubscribeURL.")
                }
                self.init(subscribeURL: url)
            case "UnsubscribeConfirmation":
                self.init(ignored: 1)
            case let other:
                throw Problem(description: "Unknown SNS message type '\(other)'.")
            }
        case .minio(let delivery):
            try self.init(posted: delivery.notification)
        case .s3(let notification):
            try self.init(posted: notification)
        }
    }

    /// A notification posted as it is (by S3 or MinIO): their test events name no records.
    private init(posted notification: S3EventNotification) throws(Problem) {
        if !notification.hasRecordsField, notification.eventIsList || notification.namesService {
            self.init(ignored: 1)  // s3:TestEvent
            return
        }
        try self.init(records: notification)
    }

    private init(records notification: S3EventNotification) throws(Problem) {
        guard let records = notification.records else {
            guard notification.event == "s3:TestEvent" else { throw Problem(description: "The event has no Records.") }
            self.init(ignored: 1)
            return
        }
        self.init()
        for record in records where record.isObject {
            guard record.isObjectCreated, let encoded = record.encodedKey else {
                ignored += 1
                continue
            }
            guard let key = URIEncoding.decode(encoded, plusAsSpace: true), !key.isEmpty else {
                throw Problem(description: "An event key is not valid URL-encoded UTF-8.")
            }
            createdKeys.append(key)
        }
    }
}
