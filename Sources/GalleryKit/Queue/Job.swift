public import Foundation

/// A pending title, waiting for its photo's upload to land.
public struct Job: Sendable, Hashable {
    /// The object key the upload was presigned for.
    public let key: String
    /// The title to tag the object with.
    public let title: Title
    /// When the title was posted.
    public let createdAt: Date
    /// After this the job is invisible and swept: the policy expired long enough ago that no upload can still be running.
    public let expiresAt: Date

    public init(key: String, title: Title, createdAt: Date, expiresAt: Date) {
        self.key = key
        self.title = title
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether the job has expired at `now`.
    public func isExpired(at now: Date) -> Bool { now >= expiresAt }
}
