import Benchmark
import Foundation
import GalleryKit
import ImageProcessing
import SigV4

/// In-process figures for the hot paths: `swift package benchmark` (see the README's Benchmarks section).
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], maxDuration: .seconds(3),
        maxIterations: 100_000)

    let credentials = Credentials(
        accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    let signer = RequestSigner(credentials: credentials, region: "us-east-1")
    let now = Date()

    Benchmark("SigV4 header signing (cached signing key)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                signer.sign(
                    method: "PUT", path: "/gallery/photos/0b8f6c1e-2d1a-4e0e-9f57-3f7f7c2b9a10",
                    query: [("tagging", "")], headers: [("host", "s3.us-east-1.amazonaws.com")],
                    payloadHash: Hashing.emptyPayloadHash, date: now))
        }
    }

    Benchmark("SigV4 signing key derivation (uncached)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                SigningKey(
                    secretAccessKey: credentials.secretAccessKey,
                    scope: CredentialScope(date: AmzDate(now), region: "us-east-1")))
        }
    }

    let presigner = PostPresigner(signer: signer)
    let conditions: [PostPolicy.Condition] = [
        .startsWith(field: "Content-Type", prefix: "image/"), .contentLengthRange(1...20_971_520),
        .equals(field: "success_action_redirect", value: "http://127.0.0.1:8080/uploaded"),
    ]
    Benchmark("Presigned POST policy (build, encode, sign)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(
                presigner.presign(
                    bucket: "gallery", key: "photos/0b8f6c1e-2d1a-4e0e-9f57-3f7f7c2b9a10",
                    fields: [.init("success_action_redirect", "http://127.0.0.1:8080/uploaded")],
                    conditions: conditions, expiresIn: 600, now: now))
        }
    }

    let post = presigner.presign(
        bucket: "gallery", key: "photos/k",
        fields: [.init("success_action_redirect", "http://127.0.0.1:8080/uploaded")],
        conditions: conditions, expiresIn: 600, now: now)
    let verifier = PostPolicyVerifier(bucket: "gallery", region: "us-east-1") { _ in credentials.secretAccessKey }
    let form = PostForm(fields: post.fields + [.init("Content-Type", "image/png")], fileName: "a.png", fileSize: 70)
    Benchmark("POST policy verification") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? verifier.verify(form, now: now))
        }
    }

    Benchmark("Title normalisation") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? Title(normalizing: "  Zürich   東京 <b>Ελλάδα</b> & friends  "))
        }
    }

    Benchmark("Title normalisation (ASCII)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try? Title(normalizing: "  Sunset over   the harbour, <b>2024</b> & friends  "))
        }
    }

    Benchmark("Upload page (from the template's frame)") { benchmark, renderer in
        let upload = PresignedUpload(
            key: "photos/k", title: try Title(normalizing: "Zürich bei Nacht"),
            form: UploadForm(url: "http://127.0.0.1:8080/bucket", post: post))
        for _ in benchmark.scaledIterations {
            blackHole(try renderer.uploadPage(upload))
        }
    } setup: {
        try await PhotoFixtures.renderer(photos: 1).0
    }

    let job = Job(
        key: "photos/0b8f6c1e-2d1a-4e0e-9f57-3f7f7c2b9a10", title: try! Title(normalizing: "Zürich bei Nacht"),
        createdAt: now, expiresAt: now + 1500)
    Benchmark("Queue record: encode, decode, fold into the index") { benchmark in
        var index = JobIndex()
        for _ in benchmark.scaledIterations {
            let record = JobLog.encode(.queued(job))
            index.apply(JobLog.decode(record).entries)
            blackHole(index)
        }
    }

    // An S3 notification as SNS delivers it: the envelope, then the event inside its Message.
    let event =
        #"{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Post","s3":{"bucket":{"name":"gallery"},"object":{"key":"incoming/0b8f6c1e-2d1a-4e0e-9f57-3f7f7c2b9a10","size":2097152,"eTag":"abc"}}}]}"#
    let snsBody = try! JSONSerialization.data(withJSONObject: [
        "Type": "Notification", "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
        "TopicArn": "arn:aws:sns:us-east-1:123456789012:gallery", "Message": event,
        "Timestamp": "2026-12-02T06:00:00.000Z", "SignatureVersion": "2",
        "Signature": Data(repeating: 7, count: 256).base64EncodedString(),
        "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-1234.pem",
    ])
    Benchmark("Event delivery: an SNS-wrapped S3 event, decoded") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try EventDelivery.parse(snsBody)) }
    }

    // The 1×1 PNG of the tests: what classifying costs besides the pixels.
    let png = Data(
        base64Encoded:
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!
    Benchmark("Classify an upload (its loader, then its header)") { benchmark in
        let maker = try RenditionMaker()
        for _ in benchmark.scaledIterations { blackHole(try maker.inspect(png)) }
    }

    Benchmark("Job queue: durable enqueue, one at a time", configuration: .init(maxDuration: .seconds(3))) {
        benchmark in
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bench-queue-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let queue = try FileJobQueue(directory: folder)
        for index in benchmark.scaledIterations {
            try await queue.enqueue(
                Job(key: "incoming/\(index)", title: job.title, createdAt: job.createdAt, expiresAt: job.expiresAt))
        }
    }

    Benchmark("Render one photo page", configuration: .init(maxDuration: .seconds(3))) { benchmark, setup in
        let (renderer, layout) = setup
        for index in benchmark.scaledIterations {
            blackHole(try renderer.photoPage(at: index % layout.photos.count, in: layout))
        }
    } setup: {
        try await PhotoFixtures.renderer(photos: 1000)
    }

    Benchmark("Render the files one upload touches (10,000 photos)", configuration: .init(maxDuration: .seconds(3))) {
        benchmark, setup in
        let (renderer, layout) = setup
        for _ in benchmark.scaledIterations {
            blackHole(try renderer.files(touchedBy: [layout.photos.count - 1], in: layout))
        }
    } setup: {
        try await PhotoFixtures.renderer(photos: 10_000)
    }
}

enum PhotoFixtures {
    /// The repository's theme, found from this file's path.
    static let site = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("site")

    static func renderer(photos count: Int) async throws -> (PageRenderer, SiteLayout) {
        let theme = try await Theme(directory: site)
        let renderer = PageRenderer(
            theme: theme, configuration: GalleryConfiguration(publicURL: "http://127.0.0.1:8080"))
        let photos = try (0..<count).map { index in
            let key = String(format: "incoming/%08d", index)
            let id = GalleryPhoto.id(forKey: key)
            // What the publisher records for a 12 MP photo: four renditions and a placeholder.
            return GalleryPhoto(
                key: key, title: try Title(normalizing: "Photo number \(index)"),
                uploadedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(index)),
                etag: "\"0123456789abcdef0123456789abcdef\"", width: 2048, height: 1536,
                renditions: [320, 640, 1280, 2048].map {
                    PublishedImage(
                        key: SiteLayout.renditionKey(id: id, width: $0, digest: "0123456789"), width: $0,
                        height: $0 * 3 / 4, bytes: $0 * 40, contentType: "image/webp")
                },
                placeholder: "data:image/webp;base64," + String(repeating: "A", count: 360),
                takenAt: "2024-06-01T10:20:30")
        }
        return (renderer, SiteLayout(photos: photos, pageSize: 60))
    }
}
