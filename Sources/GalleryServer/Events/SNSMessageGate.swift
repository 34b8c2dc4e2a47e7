import Foundation
import GalleryKit
import HTTPTypes
import SNSVerification
import SigV4
import Synchronization

/// What an SNS message must pass on `/events` besides the token and its signature: it comes from a
/// topic this gallery trusts (the ones `gallery setup` created, kept in the bucket at
/// `GalleryConfiguration.notificationTopicsKey`, and any `--sns-topic-arn`), it is no older than an
/// hour, and its MessageId was not seen in the last hour (then it is acknowledged and ignored).
final class SNSMessageGate: Sendable {
    /// What to do with a message that passed.
    enum Admission: Equatable {
        case fresh
        /// Seen already: answer 200 so SNS stops, act on nothing.
        case duplicate
    }

    private let configuredTopics: Set<String>
    private let store: any ObjectStore
    private let topicsKey: String
    private let clock: any WallClock
    /// The topics read from the bucket, and when they were read.
    private let storedTopics = Mutex<(topics: Set<String>, readAt: Date?)>(([], nil))
    private let replays = Mutex(SNSReplayWindow())
    /// How often the bucket's list of topics may be read again for an unknown topic.
    static let rereadInterval: TimeInterval = 10

    init(configuredTopics: Set<String>, store: any ObjectStore, topicsKey: String, clock: any WallClock) {
        self.configuredTopics = configuredTopics
        self.store = store
        self.topicsKey = topicsKey
        self.clock = clock
    }

    /// Throws 403 unless `message` comes from a trusted topic and is fresh; tells a duplicate apart.
    func admit(_ message: SNSMessage) async throws -> Admission {
        guard try await trusts(topic: message.topicARN) else {
            throw ServiceError(
                status: .forbidden,
                message:
                    "SNS messages from this topic are not accepted: run `gallery setup --notify-url …` or pass --sns-topic-arn."
            )
        }
        guard let sent = AmzDate(iso8601: message.timestamp)?.date else {
            throw ServiceError(status: .forbidden, message: "The SNS message's Timestamp is not ISO 8601.")
        }
        let now = clock.now()
        switch replays.withLock({ $0.admit(id: message.messageID, timestamp: sent, now: now) }) {
        case .fresh: return .fresh
        case .duplicate: return .duplicate
        case .stale:
            throw ServiceError(
                status: .forbidden, message: "The SNS message is more than an hour old (or from the future): refused.")
        }
    }

    /// Forgets `message` as seen: acting on it failed, and SNS will deliver it again.
    func forget(_ message: SNSMessage) {
        replays.withLock { $0.forget(id: message.messageID) }
    }

    /// Whether `topic` is configured or stored in the bucket (read again, at most every ten seconds,
    /// when an unknown topic shows up: `gallery setup` may have run after the service started).
    private func trusts(topic: String) async throws -> Bool {
        if configuredTopics.contains(topic) { return true }
        let now = clock.now()
        let (known, readAt) = storedTopics.withLock { ($0.topics, $0.readAt) }
        if known.contains(topic) { return true }
        if let readAt, now.timeIntervalSince(readAt) < Self.rereadInterval { return false }
        let topics = try await NotificationTopics.read(from: store, key: topicsKey)
        storedTopics.withLock { $0 = (topics, now) }
        return topics.contains(topic)
    }
}
