import Foundation
public import GalleryKit

/// What every store must do with conditional writes (S3's conditional PutObject): the local bucket
/// and S3 (moto) are held to the same contract.
public enum ConditionalWriteContract {
    /// A broken promise, named.
    public struct Broken: Error, CustomStringConvertible {
        public let description: String
    }

    /// Runs the contract against `store` on the key `gallery.json`; throws `Broken` on the first break.
    public static func check(_ store: any ObjectStore) async throws {
        let key = "gallery.json"
        func put(_ text: String, _ condition: WriteCondition) async throws -> String {
            try await store.put(
                key: key, body: Data(text.utf8), contentType: "application/json", cacheControl: nil,
                condition: condition)
        }
        func refused(_ text: String, _ condition: WriteCondition) async throws -> Bool {
            do {
                _ = try await put(text, condition)
                return false
            } catch ObjectStoreError.preconditionFailed(key) {
                return true
            }
        }
        let first = try await put("1", .absent)
        guard try await refused("2", .absent) else { throw Broken(description: "If-None-Match: * overwrote") }
        let second = try await put("2", .matches(etag: first))
        guard second != first, try await store.head(key: key)?.etag == second else {
            throw Broken(description: "the returned ETag is not the stored object's")
        }
        guard try await refused("3", .matches(etag: first)) else {
            throw Broken(description: "a stale If-Match overwrote")
        }
        guard try await store.read(key: key, range: nil) == Data("2".utf8) else {
            throw Broken(description: "a refused write changed the object")
        }
    }
}
