public import Foundation
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

    /// Parses an event body. Pure: confirming subscriptions and processing keys is the caller's job.
    public static func parse(_ body: Data) throws(Problem) -> EventDelivery {
        try parse(object: try jsonObject(body))
    }

    /// The body as a JSON object: what `/events` reads once, for the SNS envelope and the events both.
    public static func jsonObject(_ body: Data) throws(Problem) -> [String: Any] {
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            throw Problem(description: "The body is not a JSON object.")
        }
        return object
    }

    /// The delivery in a body already read as a JSON object (`jsonObject`).
    public static func parse(object: [String: Any]) throws(Problem) -> EventDelivery {
        switch object["Type"] as? String {
        case "Notification":
            guard let message = object["Message"] as? String else {
                throw Problem(description: "The SNS notification has no Message.")
            }
            // S3's test event and anything else that is not Records carries no keys.
            guard let inner = (try? JSONSerialization.jsonObject(with: Data(message.utf8))) as? [String: Any] else {
                return EventDelivery(ignored: 1)
            }
            return try records(in: inner)
        case "SubscriptionConfirmation":
            guard let url = object["SubscribeURL"] as? String else {
                throw Problem(description: "The SNS subscription confirmation has no SubscribeURL.")
            }
            return EventDelivery(subscribeURL: url)
        case "UnsubscribeConfirmation":
            return EventDelivery(ignored: 1)
        case .some(let other):
            throw Problem(description: "Unknown SNS message type '\(other)'.")
        case nil:
            // S3 (through anything that forwards the raw event) or MinIO: {"EventName":…, "Key":…, "Records":[…]}
            if object["Records"] == nil, object["Event"] is [Any] || object["Service"] != nil {
                return EventDelivery(ignored: 1)  // s3:TestEvent
            }
            return try records(in: object)
        }
    }

    private static func records(in object: [String: Any]) throws(Problem) -> EventDelivery {
        guard let records = object["Records"] as? [Any] else {
            if object["Event"] as? String == "s3:TestEvent" { return EventDelivery(ignored: 1) }
            throw Problem(description: "The event has no Records.")
        }
        var delivery = EventDelivery()
        for case let record as [String: Any] in records {
            let name = record["eventName"] as? String ?? ""
            guard name.hasPrefix("ObjectCreated:") || name.hasPrefix("s3:ObjectCreated:"),
                let s3 = record["s3"] as? [String: Any], let object = s3["object"] as? [String: Any],
                let encoded = object["key"] as? String
            else {
                delivery.ignored += 1
                continue
            }
            guard let key = URIEncoding.decode(encoded, plusAsSpace: true), !key.isEmpty else {
                throw Problem(description: "An event key is not valid URL-encoded UTF-8.")
            }
            delivery.createdKeys.append(key)
        }
        return delivery
    }
}
