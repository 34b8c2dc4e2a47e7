public import Foundation

/// The secret that signs the gallery's links, kept in the bucket (private, `settings/link-secret.json`)
/// so every instance sharing the bucket signs and checks alike: made once, at first use, with a
/// conditional write (the first instance's secret wins), or given (`--invite-secret`).
public enum LinkSecret {
    /// Where the secret is kept.
    public static let key = "settings/link-secret.json"

    struct Document: Codable {
        var secret: String
    }

    /// The bucket's secret, made now when there is none.
    public static func load(from store: any ObjectStore) async throws -> Data {
        for _ in 1...5 {
            if let data = try await store.read(key: key, range: nil) {
                guard let document = try? JSONDecoder().decode(Document.self, from: data),
                    let secret = LinkSigner.data(base64URL: document.secret), secret.count >= 32
                else { throw ObjectStoreError.io("\(key) holds no secret; delete it to make a new one") }
                return secret
            }
            var generator = SystemRandomNumberGenerator()
            let secret = Data((0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
            do {
                _ = try await store.put(
                    key: key, body: try JSONEncoder().encode(Document(secret: LinkSigner.base64URL(secret))),
                    contentType: "application/json", cacheControl: "no-store", condition: .absent)
                return secret
            } catch ObjectStoreError.preconditionFailed {
                continue  // another instance made it first: read theirs
            }
        }
        throw ObjectStoreError.preconditionFailed(key)
    }

    /// The secret named on the command line (at least 16 bytes of text), as bytes.
    public static func given(_ text: String) -> Data? {
        text.utf8.count >= 16 ? Data(text.utf8) : nil
    }
}
