#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What this process has read of every segment in the queue's folder, and the jobs that makes:
/// `catchUp` reads only what was appended since the last time.
struct SegmentReader: ~Copyable {
    /// The queue's folder.
    let directory: String
    /// Jobs the index has room for (the queue's limit).
    let capacity: Int
    /// The jobs read so far.
    private(set) var index: JobIndex
    /// Open segments and where the next read of each starts.
    private var segments: [String: (fd: Int32, next: Int)] = [:]
    /// Segments this process writes or wrote since `index` was last built from scratch: their
    /// records are folded in as they are written (`apply`), so they are never read back.
    private var own: Set<String> = []

    init(directory: String, capacity: Int) {
        self.directory = directory
        self.capacity = capacity
        index = JobIndex(capacity: capacity)
    }

    deinit { for segment in segments.values { close(segment.fd) } }

    /// Folds in records this process has just written to its own segment.
    mutating func apply(_ entries: [JobLogEntry]) { index.apply(entries) }

    /// Reads what was appended to every segment since the last read; `writing` is the segment this
    /// process appends to now. A segment that disappeared was compacted into another: then
    /// everything is read again from the start.
    mutating func catchUp(writing: String?) {
        let names = SegmentFile.names(in: directory)
        let present = Set(names)
        if segments.keys.contains(where: { !present.contains($0) }) { forget() }
        for name in names {
            var segment: (fd: Int32, next: Int)
            if let known = segments[name] {
                if name == writing { own.insert(name) }
                if own.contains(name) { continue }
                segment = known
            } else {
                let fd = open(directory + "/" + name, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { continue }  // compacted away since the listing
                segment = (fd, 0)
            }
            let read = SegmentFile.readNew(segment.fd, from: segment.next)
            index.apply(read.entries)
            segment.next = read.next
            segments[name] = segment
        }
    }

    /// Closes every segment and empties the index, to read everything again.
    private mutating func forget() {
        for segment in segments.values { close(segment.fd) }
        segments = [:]
        index = JobIndex(capacity: capacity)
        own = []
    }
}
