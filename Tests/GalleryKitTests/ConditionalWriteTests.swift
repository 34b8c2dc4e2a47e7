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
                            try await bucket.put(
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
