import Foundation
import GalleryKit
import TestSupport
import Testing

/// The write every sharer of a bucket relies on: S3's conditional PutObject, and the local bucket
/// doing the same across processes.
struct ConditionalWriteTests {
    @Test func theLocalBucketWritesOnlyOverTheVersionItWasTold() async throws {
        let bucket = try LocalBucket(
            root: try Fixtures.temporaryDirectory(), postURL: "http://127.0.0.1/bucket", credentials: nil)
        try await ConditionalWriteContract.check(bucket)
    }

    /// Found in review: a version was read as a HEAD (the metadata's ETag, written first) then a GET
    /// (the bytes, renamed into place after), so a reader between the two writes of another writer
    /// paired the old bytes with the new tag, and its conditional write then passed over a change it
    /// never saw. `readVersion` gives the bytes with their own tag.
    @Test func aVersionIsTheBytesReadWithTheirOwnTag() async throws {
        let root = try Fixtures.temporaryDirectory()
        let bucket = try LocalBucket(root: root, postURL: "http://127.0.0.1/bucket", credentials: nil)
        let first = try await bucket.put(
            key: "gallery.json", body: Data("1".utf8), contentType: "application/json", cacheControl: nil,
            condition: .absent)
        // Another writer is between its two writes: the new metadata is there, the new bytes not yet.
        let meta = root.appendingPathComponent(".gallery/meta/gallery.json.json")
        let ahead = try String(contentsOf: meta, encoding: .utf8).replacingOccurrences(
            of: first.replacingOccurrences(of: "\"", with: "\\\""), with: "\\\"newer\\\"")
        try ahead.write(to: meta, atomically: true, encoding: .utf8)
        #expect(try await bucket.head(key: "gallery.json")?.etag == "\"newer\"")
        let version = try #require(try await bucket.readVersion(key: "gallery.json"))
        #expect(version.data == Data("1".utf8))
        #expect(version.etag == first)
    }

    /// Twenty writers race to add one line each to one object, each re-reading and retrying when it
    /// loses: every line is there at the end (unconditional writes lose most of them).
    @Test func racingWritersLoseNothing() async throws {
        let bucket = try LocalBucket(
            root: try Fixtures.temporaryDirectory(), postURL: "http://127.0.0.1/bucket", credentials: nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<20 {
                group.addTask {
                    while true {
                        let head = try await bucket.head(key: "list")
                        let current = try await bucket.read(key: "list", range: nil) ?? Data()
                        do {
                            _ = try await bucket.put(
                                key: "list", body: current + Data("\(writer)\n".utf8), contentType: "text/plain",
                                cacheControl: nil, condition: head.map { .matches(etag: $0.etag) } ?? .absent)
                            return
                        } catch ObjectStoreError.preconditionFailed {
                            continue
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let lines = String(decoding: try await bucket.read(key: "list", range: nil) ?? Data(), as: UTF8.self)
            .split(separator: "\n")
        #expect(Set(lines) == Set((0..<20).map { "\($0)"[...] }))
        #expect(lines.count == 20)
    }
}
