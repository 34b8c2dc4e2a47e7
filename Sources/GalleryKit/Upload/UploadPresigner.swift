import Foundation
public import SigV4

/// The presign step: a title in, a signed upload form out, and the pending title durably queued.
public struct UploadPresigner: Sendable {
    public let store: any ObjectStore
    public let queue: any JobQueue
    public let configuration: GalleryConfiguration
    public let clock: any WallClock
    private let metrics: GalleryMetrics
    private let makeID: @Sendable () -> String
    private let capacity: QueueCapacity

    /// Creates a presigner; `makeID` names new objects (a random UUID unless a test says otherwise).
    public init(
        store: any ObjectStore, queue: any JobQueue, configuration: GalleryConfiguration,
        clock: any WallClock = SystemClock(), metrics: GalleryMetrics = .none,
        makeID: @escaping @Sendable () -> String = UploadPresigner.randomID
    ) {
        self.metrics = metrics
        self.store = store
        self.queue = queue
        self.configuration = configuration
        self.clock = clock
        self.makeID = makeID
        self.capacity = QueueCapacity(queue: queue, limit: configuration.maximumPendingJobs, clock: clock)
    }

    /// A random (version 4) UUID in lower case, written out by hand from the system's generator
    /// (`getrandom`): Foundation's `UUID()` opens and reads `/dev/urandom` on every call here, and
    /// `uuidString.lowercased()` builds two strings.
    public static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = (generator.next() as UInt64, generator.next() as UInt64)
        return withUnsafeMutableBytes(of: &bytes) { bytes in
            bytes[6] = bytes[6] & 0x0F | 0x40  // version 4
            bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 9562 variant
            return String(unsafeUninitializedCapacity: 36) { text in
                var count = 0
                for (index, byte) in bytes.enumerated() {
                    if index == 4 || index == 6 || index == 8 || index == 10 {
                        text[count] = UInt8(ascii: "-")
                        count += 1
                    }
                    text[count] = Hex.digit(byte >> 4)
                    text[count + 1] = Hex.digit(byte & 0x0F)
                    count += 2
                }
                return count
            }
        }
    }

    /// The policy conditions every gallery upload carries: how the bucket answers (`completion`), an
    /// image content type, a size range. (The type only keeps the form honest: the publisher decides
    /// what a file is from its bytes.)
    public func conditions(_ completion: UploadCompletion = .redirect) -> [PostPolicy.Condition] {
        let answer = completion.field(uploadedURL: configuration.uploadedURL)
        return [
            .startsWith(field: "Content-Type", prefix: "image/"),
            .contentLengthRange(1...configuration.maximumUploadBytes),
            .equals(field: answer.name, value: answer.value),
        ]
    }

    /// Presigns an upload of a new object for `title` and enqueues its job; the job is on disk when
    /// this returns. `completion`: how the bucket answers the browser once it has the file.
    public func presign(title: Title, completion: UploadCompletion = .redirect) async throws -> PresignedUpload {
        try await capacity.reserve()
        let now = clock.now()
        let key = configuration.uploadPrefix + makeID()
        let lifetime = Int(configuration.policyLifetime.seconds)
        let answer = completion.field(uploadedURL: configuration.uploadedURL)
        let form = try await store.presignPost(
            key: key, fields: [.init(answer.name, answer.value)], conditions: conditions(completion),
            expiresIn: lifetime, now: now)
        let job = Job(
            key: key, title: title, createdAt: now,
            expiresAt: form.post.expiration.addingTimeInterval(configuration.jobGracePeriod.seconds))
        try await queue.enqueue(job)
        metrics.presigned()
        return PresignedUpload(key: key, title: title, form: form)
    }
}
