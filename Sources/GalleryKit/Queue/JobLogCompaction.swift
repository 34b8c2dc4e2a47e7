public import Foundation

/// What a compaction keeps. Pure.
///
/// A compaction rewrites the segments nobody writes any more (`sealed`) into one, while other
/// processes go on writing theirs (`open`). It keeps a sealed job that is current and unexpired,
/// and a sealed removal whose job lies in an open segment (dropping it would bring that job back).
/// Everything else in the sealed segments is done with.
public enum JobLogCompaction {
    /// The entries to write into the new segment, and how many current jobs were dropped as expired.
    public static func plan(sealed: [JobLogEntry], open: [JobLogEntry], now: Date) -> (
        keep: [JobLogEntry], expired: Int
    ) {
        var all = JobIndex()
        all.apply(sealed)
        all.apply(open)
        var inOpen = JobIndex()
        inOpen.apply(open)
        var keep: [JobLogEntry] = []
        var seen = Set<JobLogEntry>()
        var expired = 0
        for entry in sealed where seen.insert(entry).inserted {
            switch entry {
            case .queued(let job):
                guard all.isCurrent(job) else { continue }
                if job.isExpired(at: now) {
                    expired += 1
                    continue
                }
            case .removed(let key, let createdAt):
                guard inOpen.contains(key: key, createdAt: createdAt) else { continue }
            }
            keep.append(entry)
        }
        return (keep, expired)
    }
}
