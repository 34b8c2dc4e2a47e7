import Foundation
import GalleryKit
import GalleryServer
import HummingbirdTesting
import SigV4
import TestSupport
import Testing

/// Issue 12, items 1 and 2: `POST /bucket` is read in one pass as it arrives, checked before its
/// file is kept, written to disk instead of memory, and bounded in bytes in flight.
struct UploadStreamingTests {
    static let boundary = "----gallery-test-boundary-7MA4YWxkTrZu0gW"

    /// The request head and the form up to the first `bytes` of the file, for a body that claims
    /// `declared` bytes in all (the rest never comes unless a test trickles it).
    static func partialUpload(
        fields: [(String, String)], declared: Int, fileBytes: Int = 1000, client: String? = nil
    ) -> String {
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"
        body += "Content-Type: image/png\r\n\r\n" + String(repeating: "x", count: fileBytes)
        return "POST /bucket HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (client.map { "X-Forwarded-For: \($0)\r\n" } ?? "")
            + "Content-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(declared)\r\n\r\n" + body
    }

    static func receiving(_ service: TestGallery) -> [String] {
        (try? FileManager.default.contentsOfDirectory(
            atPath: service.bucket.root.appendingPathComponent(".gallery/receiving").path)) ?? []
    }

    /// Item 1: the whole body was collected (up to 20 MiB, for up to five minutes) before the form's
    /// signature was looked at. Now a forged or expired form is refused as soon as the file part
    /// begins: here the answer comes while 800 KB of the promised body have not been sent (before:
    /// no answer within the 5 s the test waits).
    @Test(arguments: ["forged", "expired"])
    func aForgedOrExpiredFormIsRefusedBeforeItsFileIsRead(_ defect: String) async throws {
        let service = try await TestGallery()
        var fields = try await LocalBucketRouteTests.presigned(service) + [("Content-Type", "image/png")]
        let state = service.state
        if defect == "forged" {
            fields = fields.map { $0.0 == "x-amz-signature" ? ($0.0, String(repeating: "0", count: 64)) : $0 }
        } else {
            let expired = try await service.bucket.presignPost(
                key: "incoming/expired", fields: [], conditions: [], expiresIn: 1,
                now: Date().addingTimeInterval(-120))
            fields = expired.post.fields.map { ($0.name, $0.value) }
        }
        let form = fields
        // The answer, and then how soon the connection ends (found in review: the rest of the body
        // was read and dropped until it came or the 300 s deadline passed; here, 20 s, the most the
        // test waits).
        let (answer, seconds, closedAfter) = try await service.testLive { client in
            let port = try #require(client.port)
            var start = ContinuousClock.now
            let answer = try await RawHTTP.exchange(
                port: port, Self.partialUpload(fields: form, declared: 800_000), waitSeconds: 5, headOnly: true)
            let seconds = (ContinuousClock.now - start).seconds
            start = ContinuousClock.now
            _ = try await RawHTTP.exchange(
                port: port, Self.partialUpload(fields: form, declared: 800_000), waitSeconds: 20)
            return (answer, seconds, (ContinuousClock.now - start).seconds)
        }
        print(
            "\(defect) form, 800 KB of its body unsent -> \(answer.prefix(12)) after \(seconds) s, closed after \(closedAfter) s"
        )
        // Two seconds after the answer on a quiet machine (the answer itself can take seconds while the
        // whole suite runs on two cores); before, not until the test gave up.
        #expect(closedAfter < 15)
        #expect(answer.hasPrefix("HTTP/1.1 403"), "\(answer.prefix(120))")
        #expect(seconds < 4)
        #expect(service.state == state)
        #expect(Self.receiving(service).isEmpty)
    }

    /// Item 2: each upload was collected in memory (and copied twice) with no bound on how many
    /// arrived at once. Now the file goes to a temporary file as it arrives, and the bytes in flight
    /// have a budget: an upload that does not fit beside the others gets 503 with Retry-After at once
    /// (before: it was read like any other).
    @Test func uploadsBeyondTheByteBudgetGet503WithRetryAfterAndFilesStreamToDisk() async throws {
        var service = try await TestGallery()
        service.settings.uploadBudgetBytes = 1_000_000
        // Long enough that the first upload still holds its share when the second arrives, on a
        // loaded machine too (8 s was not, once, under the whole suite on two cores).
        service.settings.uploadReadTimeout = .seconds(20)
        let fields = try await LocalBucketRouteTests.presigned(service) + [("Content-Type", "image/png")]
        let state = service.state
        let receiving = service.bucket.root.appendingPathComponent(".gallery/receiving")
        let (held, refused, onDisk) = try await service.testLive { client in
            let port = try #require(client.port)
            // The first upload claims 800 KB, sends its form and the file's first 100 KB, then nothing:
            // it holds its share of the budget until its deadline (20 s here) closes it with 408.
            async let held = RawHTTP.exchange(
                port: port, Self.partialUpload(fields: fields, declared: 800_000, fileBytes: 100_000),
                waitSeconds: 40)
            var onDisk: [Int] = []
            for _ in 0..<60 where onDisk.first.map({ $0 < 100_000 }) ?? true {
                try await Task.sleep(for: .milliseconds(100))
                onDisk = ((try? FileManager.default.contentsOfDirectory(atPath: receiving.path)) ?? []).compactMap {
                    try? FileManager.default.attributesOfItem(atPath: receiving.path + "/" + $0)[.size] as? Int
                }
            }
            let refused = try await RawHTTP.exchange(
                port: port, Self.partialUpload(fields: fields, declared: 800_000), waitSeconds: 10, headOnly: true)
            return (try await held, refused, onDisk)
        }
        print("budget 1 MB, one 800 KB upload in flight: a second -> \(refused.prefix(12)); on disk: \(onDisk)")
        #expect(refused.hasPrefix("HTTP/1.1 503"), "\(refused.prefix(120))")
        #expect(refused.lowercased().contains("retry-after: 5"))
        #expect(held.hasPrefix("HTTP/1.1 408"), "the first upload ends at its deadline: \(held.prefix(80))")
        // The first upload's file was on disk, in the bucket's private folder, as it arrived.
        #expect(onDisk.count == 1)
        #expect((onDisk.first ?? 0) >= 100_000)
        // Dropped unfinished: nothing stored, the temporary file gone.
        #expect(Self.receiving(service).isEmpty)
        #expect(service.state == state)
    }

    /// Found in review: the whole declared length was reserved before the form was read, and the
    /// budget was one pool for all, so a dozen slow connections from one address (no signed form
    /// needed) held it and every other uploader got 503. Now a body reserves only its form's share
    /// until the form checks out, and one client (address or IPv6 /64) holds at most a quarter of
    /// the budget (or one largest upload): its second upload gets 503, another client's goes through.
    @Test func oneClientCannotHoldTheWholeBudget() async throws {
        var service = try await TestGallery()
        service.settings.uploadBudgetBytes = 4_000_000
        service.settings.trustedProxies = ["127.0.0.1"]
        service.settings.uploadReadTimeout = .seconds(10)
        let fields = try await LocalBucketRouteTests.presigned(service) + [("Content-Type", "image/png")]
        let forged = fields.map { $0.0 == "x-amz-signature" ? ($0.0, String(repeating: "0", count: 64)) : $0 }
        let other = try await LocalBucketRouteTests.presigned(service) + [("Content-Type", "image/png")]
        let receiving = service.bucket.root.appendingPathComponent(".gallery/receiving")
        let answers = try await service.testLive { client in
            let port = try #require(client.port)
            // 198.51.100.1 holds one upload of 1 MB (its share: 1.06 MB), sending nothing more.
            async let held = RawHTTP.exchange(
                port: port,
                Self.partialUpload(fields: fields, declared: 1_000_000, fileBytes: 10_000, client: "198.51.100.1"),
                waitSeconds: 25)
            // Its file has begun: its share of the budget is taken.
            for _ in 0..<80 where ((try? FileManager.default.contentsOfDirectory(atPath: receiving.path)) ?? []).isEmpty
            {
                try await Task.sleep(for: .milliseconds(100))
            }
            // Its next upload does not fit its share; a forged one is refused for its signature, not
            // for the budget (only its form's 64 KiB was reserved); another address gets in.
            // (Bounds leave room for a loaded machine: the whole suite once took over 5 s to answer.)
            let second = try await RawHTTP.exchange(
                port: port,
                Self.partialUpload(fields: fields, declared: 1_000_000, client: "198.51.100.1"), waitSeconds: 20,
                headOnly: true)
            let forgedAnswer = try await RawHTTP.exchange(
                port: port,
                Self.partialUpload(fields: forged, declared: 1_000_000, client: "198.51.100.1"), waitSeconds: 20,
                headOnly: true)
            let (body, contentType) = Fixtures.multipart(fields: other, file: Data("text, not a PNG".utf8))
            let elsewhere = try await RawHTTP.exchange(
                port: port,
                "POST /bucket HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: 198.51.100.2\r\n"
                    + "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n\r\n"
                    + String(decoding: body, as: UTF8.self), waitSeconds: 20, headOnly: true)
            return [try await held, second, forgedAnswer, elsewhere].map { String($0.prefix(12)) }
        }
        print("one client's share of a 4 MB budget: held, its second, a forged one, another client -> \(answers)")
        #expect(answers[0] == "HTTP/1.1 408")
        #expect(answers[1] == "HTTP/1.1 503")
        #expect(answers[2] == "HTTP/1.1 403")
        #expect(answers[3] == "HTTP/1.1 303")
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
