import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import SigV4

/// How failed requests are retried: exponential backoff with full jitter.
public struct RetryPolicy: Sendable {
    /// Attempts in all, the first included.
    public var maximumAttempts: Int = 5
    /// The first backoff; each later one doubles, up to `maximumDelay`.
    public var baseDelay: Duration = .milliseconds(100)
    public var maximumDelay: Duration = .seconds(5)
    /// How long one attempt may take.
    public var timeout: Duration = .seconds(30)
    /// Attempts in all when the connection is refused or the name does not resolve (a wrong
    /// endpoint, most likely): a few quick ones, so a mistake is told within seconds.
    public var maximumAttemptsUnreachable: Int = 3
    /// The pause between those attempts.
    public var unreachableDelay: Duration = .milliseconds(300)

    public init() {}

    /// The pause before attempt `attempt + 1` (attempt counts from 1): random in [0, min(max, base·2^(attempt-1))].
    func delay(after attempt: Int) -> Duration {
        let ceiling = min(maximumDelay, baseDelay * (1 << min(attempt - 1, 20)))
        return .nanoseconds(Int64.random(in: 0...max(0, TimeAmount(ceiling).nanoseconds)))
    }
}
