import Crypto
import Foundation
import ImageProcessing
import Logging
import SigV4

/// What processing one uploaded key did.
public enum UploadOutcome: Sendable, Hashable {
    /// The key is outside the upload prefix (the generator's own writes, for one): nothing to do.
    case ignored
    /// No object at the key (yet): the job stays for a later signal.
    case missing
    /// Another process sharing the job queue is processing the upload right now.
    case busy
    /// Not an image the gallery publishes: the upload was deleted and its job dropped.
    case rejected(reason: String)
    /// Published under `title`; `changed` is false when it already was, as it is now.
    case published(title: Title, changed: Bool)
    /// Processed in review mode: its renditions wait privately until an operator approves it.
    case awaitingReview(title: Title)
    /// An operator took the photo of this key off the gallery (hidden or removed): it stays off.
    case withdrawn
}
