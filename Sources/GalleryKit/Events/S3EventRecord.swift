/// One record of an S3 event notification, read leniently: a record of a shape this service does
/// not know (another kind of event, a field of another type) is ignored rather than refusing the
/// whole delivery.
public struct S3EventRecord: Sendable, Hashable, Decodable {
    /// `ObjectCreated:Post`, `s3:ObjectCreated:Put` (MinIO), `ObjectRemoved:Delete`, …; "" when absent.
    public let eventName: String
    /// The object's key as S3 sends it: URL-encoded, `+` for a space.
    public let encodedKey: String?
    /// Whether the record was a JSON object at all (others are skipped without being counted).
    public let isObject: Bool

    /// Whether the record says an object was created.
    public var isObjectCreated: Bool {
        eventName.hasPrefix("ObjectCreated:") || eventName.hasPrefix("s3:ObjectCreated:")
    }

    private enum CodingKeys: String, CodingKey { case eventName, s3 }
    private enum S3Keys: String, CodingKey { case object }
    private enum ObjectKeys: String, CodingKey { case key }

    public init(from decoder: any Decoder) throws {
        guard let record = try? decoder.container(keyedBy: CodingKeys.self) else {
            (eventName, encodedKey, isObject) = ("", nil, false)
            return
        }
        isObject = true
        eventName = (try? record.decodeIfPresent(String.self, forKey: .eventName)) ?? ""
        let object = try? record.nestedContainer(keyedBy: S3Keys.self, forKey: .s3)
            .nestedContainer(keyedBy: ObjectKeys.self, forKey: .object)
        encodedKey = try? object?.decodeIfPresent(String.self, forKey: .key)
    }
}
