public import Foundation
public import SNSVerification

/// An event body as it arrived, decoded once into the envelope of its source: SNS's (a JSON object
/// with a `Type`, whose signature must be checked before anything in it is believed), MinIO's
/// webhook (with an `EventName`), or S3's own notification.
public enum EventEnvelope: Sendable, Hashable, Decodable {
    /// An SNS message: a notification carrying S3's event in its `Message`, or a subscription message.
    case sns(SNSMessage)
    /// A MinIO webhook delivery.
    case minio(MinIOEventNotification)
    /// S3's notification, posted as it is.
    case s3(S3EventNotification)

    /// Why a body is not an event envelope.
    public enum Problem: Error, Sendable, Hashable, CustomStringConvertible {
        /// Not a JSON object, or not shaped as any source's envelope.
        case notAnEvent(String)
        /// It has a `Type`, so it claims to be an SNS message, but lacks what SNS signs.
        case unsignedSNS(SNSMessage.Problem)

        public var description: String {
            switch self {
            case .notAnEvent(let reason): reason
            case .unsignedSNS(let problem): problem.description
            }
        }
    }

    /// Decodes `body`: the one parse of an event body.
    public static func decode(_ body: Data) throws(Problem) -> EventEnvelope {
        do {
            return try decoder.decode(EventEnvelope.self, from: body)
        } catch let problem as SNSMessage.Problem {
            throw .unsignedSNS(problem)
        } catch {
            throw .notAnEvent("The body is not a JSON object.")
        }
    }

    /// One decoder for every body (a `JSONDecoder` is safe to share once configured).
    static let decoder = JSONDecoder()

    private enum SourceKeys: String, CodingKey {
        case type = "Type"
        case eventName = "EventName"
    }

    public init(from decoder: any Decoder) throws {
        let keys = try decoder.container(keyedBy: SourceKeys.self)
        if keys.contains(.type) {
            self = .sns(try SNSMessage(from: decoder))
        } else if keys.contains(.eventName) {
            self = .minio(try MinIOEventNotification(from: decoder))
        } else {
            self = .s3(try S3EventNotification(from: decoder))
        }
    }
}
