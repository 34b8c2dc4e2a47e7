import Foundation

/// The SNS topics whose notifications the service accepts, as `gallery setup` records them in the
/// bucket (a private object: the bucket policy makes only the gallery's own files public).
public enum NotificationTopics {
    private struct Document: Codable {
        var topics: [String]
    }

    /// The recorded topic ARNs; none when nothing is recorded.
    public static func read(from store: any ObjectStore, key: String) async throws -> Set<String> {
        guard let data = try await store.read(key: key, range: nil) else { return [] }
        guard let document = try? JSONDecoder().decode(Document.self, from: data) else {
            throw ObjectStoreError.io("\(key) is not a list of SNS topics; run `gallery setup` again.")
        }
        return Set(document.topics)
    }

    /// Adds `topic` to the recorded ones.
    public static func record(_ topic: String, in store: any ObjectStore, key: String) async throws {
        let topics = try await read(from: store, key: key).union([topic])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try await store.put(
            key: key, body: try encoder.encode(Document(topics: topics.sorted())), contentType: "application/json",
            cacheControl: "no-store")
    }
}
