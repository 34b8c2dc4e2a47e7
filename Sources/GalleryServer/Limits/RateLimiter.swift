import Foundation
import GalleryKit
import HTTPTypes
import Synchronization

/// The shared, locked rate limiter the route consults.
final class RateLimiter: Sendable {
    private let state: Mutex<TokenBuckets>
    private let clock: any WallClock
    /// What is limited, as the refusal names it ("uploads", "sign-in attempts").
    private let noun: String

    init(perMinute: Int, clock: any WallClock, noun: String = "uploads") {
        self.state = Mutex(TokenBuckets(perMinute: perMinute))
        self.clock = clock
        self.noun = noun
    }

    /// Throws 429 with `Retry-After` when `client` has used up its requests.
    func admit(_ client: String) throws {
        let now = clock.now()
        if let wait = state.withLock({ $0.take(client, at: now) }) {
            throw ServiceError(
                status: .tooManyRequests,
                message: "Too many \(noun) from your address. Try again in \(wait) s.",
                headers: [.retryAfter: String(wait)])
        }
    }
}
