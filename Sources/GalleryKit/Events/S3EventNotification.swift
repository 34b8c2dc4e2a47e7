/// An S3 event notification, as S3 posts it (through anything that forwards the raw event) or as
/// SNS carries it in its `Message`: `{"Records": […]}`, or S3's test event
/// (`{"Service": "Amazon S3", "Event": "s3:TestEvent", …}`).
public struct S3EventNotification: Sendable, Hashable, Decodable {
    /// The records; nil when `Records` is missing or not a list.
    public let records: [S3EventRecord]?
    /// `Event` when it is a string (`s3:TestEvent`).
    public let event: String?
    /// Whether `Event` is a list (MinIO's test events).
    public let eventIsList: Bool
    /// Whether the body names a `Service` (S3's test event does).
    public let namesService: Bool
    /// Whether the body has a `Records` field at all (of whatever type).
    public let hasRecordsField: Bool

    private enum CodingKeys: String, CodingKey {
        case records = "Records"
        case event = "Event"
        case service = "Service"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        records = try? container.decodeIfPresent([S3EventRecord].self, forKey: .records)
        event = try? container.decodeIfPresent(String.self, forKey: .event)
        // Asked only when present: a missing key would be an error built and thrown away.
        eventIsList = container.contains(.event) && (try? container.nestedUnkeyedContainer(forKey: .event)) != nil
        namesService = container.contains(.service)
        hasRecordsField = container.contains(.records)
    }
}
