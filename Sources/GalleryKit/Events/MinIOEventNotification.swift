/// A MinIO webhook delivery: S3's records, with the event's name and the bucket-qualified key of
/// its object beside them (`{"EventName": "s3:ObjectCreated:Put", "Key": "gallery/photos/…",
/// "Records": […]}`).
public struct MinIOEventNotification: Sendable, Hashable, Decodable {
    /// `s3:ObjectCreated:Put`, …
    public let eventName: String?
    /// `<bucket>/<key>`, not URL-encoded.
    public let key: String?
    /// The same body read as S3's notification: the records the service acts on.
    public let notification: S3EventNotification

    private enum CodingKeys: String, CodingKey {
        case eventName = "EventName"
        case key = "Key"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        eventName = try? container.decodeIfPresent(String.self, forKey: .eventName)
        key = try? container.decodeIfPresent(String.self, forKey: .key)
        notification = try S3EventNotification(from: decoder)
    }
}
