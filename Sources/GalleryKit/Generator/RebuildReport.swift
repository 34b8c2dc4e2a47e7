import Crypto
import Foundation
import Logging
import SigV4

/// What one rebuild or update did.
public struct RebuildReport: Sendable, Hashable {
    /// Photos on the gallery.
    public var photos = 0
    /// Uploads not (yet) published.
    public var untitled = 0
    /// Files written (pages, feeds, manifest, assets).
    public var written = 0
    /// Files skipped because the bucket already held the same bytes.
    public var unchanged = 0
    /// Stale generated pages deleted.
    public var deleted = 0
    /// Keys written (or, in a dry run, that would be).
    public var writtenKeys: [String] = []

    public init() {}
}
