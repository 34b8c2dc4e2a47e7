/// Where a processed upload stands with the public gallery, as its private record says.
public enum PhotoStanding: String, Sendable, Hashable, CaseIterable {
    /// On the gallery.
    case shown
    /// Taken off the gallery reversibly: its renditions are kept privately (`held/`), its place kept.
    case hidden
    /// Taken down: its files are deleted; the record keeps only its place (key and time).
    case removed
    /// Processed in review mode and not yet approved: its renditions wait privately (`held/`).
    case awaitingReview = "review"
}
