import Crypto
public import Foundation
import SigV4

/// Reads and writes the manifest in its parts: follows `gallery.json` to the archive and the parts
/// (reading only those it has not seen: a key is never written twice, so a part read once is known),
/// and writes a new version as new files first and `gallery.json` last, conditionally.
///
/// Files a version stops naming are deleted a minute after it replaced them (a reader may still be
/// following the version before), and so are the files of a write that lost a race; leftovers (a
/// writer stopped in between) are deleted by full rebuilds when an hour old and named by no version.
public actor ManifestStore {
    public let store: any ObjectStore
    private let now: @Sendable () -> Date
    /// The photos of parts, by key: only those the newest version seen names.
    private var partCache: [String: [GalleryPhoto]] = [:]
    /// The entries of the archive the newest version seen names.
    private var archiveCache: (key: String, entries: [ManifestArchive.Entry])?
    /// Files replaced versions named, and when they were replaced.
    private var retired: [(key: String, at: Date)] = []
    /// Parts read at once when following an archive.
    private let concurrency: Int
    /// Copies of part files on this machine, when kept.
    private let fileCache: PartFileCache?

    /// How long a file a replaced version named stays readable.
    static let retireDelay: TimeInterval = 60
    /// How old an unnamed file in the manifest's folder must be before it is taken for a leftover.
    static let leftoverAge: TimeInterval = 3600
    /// Reads of a version whose files vanished meanwhile (another writer replaced it) before giving up.
    static let maximumReads = 3

    /// What writing a version did.
    struct Commit: Sendable {
        /// The version written, or nil when another writer replaced the one it was based on first.
        var version: ManifestVersion?
        /// The keys written (parts, archive, `gallery.json`), or in a dry run that would be.
        var written: [String]
    }

    public init(
        store: any ObjectStore, concurrency: Int = 16, fileCache: PartFileCache? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.concurrency = max(1, concurrency)
        self.fileCache = fileCache
        self.now = now
    }

    /// A file of the manifest, decoded: from this machine's copy when there is one that decodes, else
    /// from the bucket (and copied when it decodes). Nil when the bucket has no such file; `.some(nil)`
    /// when its bytes do not decode.
    private static func readFile<T>(
        _ key: String, store: any ObjectStore, cache: PartFileCache?, decode: (Data) -> T?
    ) async throws -> T?? {
        if let copy = cache?.read(key) {
            if let decoded = decode(copy) { return .some(decoded) }
            cache?.remove(key)
        }
        guard let data = try await store.read(key: key, range: nil) else { return nil }
        let decoded = decode(data)
        if decoded != nil { cache?.write(key, data) }
        return .some(decoded)
    }

    // MARK: Reading

    /// Every photo of the bucket's manifest, oldest first; nil when there is none or it does not read
    /// back. What a reader of the export does: `gallery.json`, the archive's parts in order, the newest part.
    public func photos() async throws -> [GalleryPhoto]? { try await read().parts?.photos }

    /// The bucket's current version.
    func read() async throws -> ManifestVersion {
        for _ in 1...Self.maximumReads {
            guard let (data, etag) = try await store.readVersion(key: GalleryManifest.key) else { return .absent }
            guard let header = GalleryManifest.header(of: data) else { return .unreadable(etag: etag) }
            switch try await parts(of: header) {
            case .read(let parts):
                keepCached(parts)
                return .loaded(parts, etag: etag, fingerprint: header.fingerprint)
            case .invalid:
                forgetCached()
                return .unreadable(etag: etag)
            case .missing:
                break
            }
            // A file is missing: damage, unless another writer replaced this version meanwhile.
            guard let head = try await store.head(key: GalleryManifest.key), head.etag != etag else {
                forgetCached()
                return .unreadable(etag: etag)
            }
        }
        throw ObjectStoreError.io("the manifest changed under \(Self.maximumReads) reads in a row")
    }

    /// One part file, read.
    private enum PartRead: Sendable {
        case photos([GalleryPhoto])
        case absent
        case damaged
    }

    /// What following a header found.
    private enum Following {
        case read(ManifestParts)
        /// A file it names is not there (replaced meanwhile, or lost).
        case missing
        /// The files do not agree with the header or with each other: damaged, or not ours.
        case invalid
    }

    /// The parts `header` names, read where not known, and checked against it: every part once, each
    /// holding the photos the archive says, oldest first across parts, `photoCount` in all. The
    /// counts are checked before any part is read, so a crafted archive cannot make it read (and
    /// hold) more than `photoCount` photos' worth.
    private func parts(of header: GalleryManifest.Header) async throws -> Following {
        var entries: [ManifestArchive.Entry] = []
        if let archive = header.archive {
            if let archiveCache, archiveCache.key == archive {
                entries = archiveCache.entries
            } else {
                guard
                    let read = try await Self.readFile(
                        archive, store: store, cache: fileCache, decode: ManifestArchive.decode)
                else { return .missing }
                guard let decoded = read else { return .invalid }
                entries = decoded
            }
        }
        let wanted = entries.map(\.url) + (header.newest.map { [$0] } ?? [])
        let places = header.photoCount + header.gaps
        let listed = entries.reduce(0) { $0 + $1.places }
        guard Set(wanted).count == wanted.count, listed <= places, header.newest != nil || listed == places
        else { return .invalid }
        let missing = wanted.filter { partCache[$0] == nil }
        let store = self.store
        let fileCache = self.fileCache
        var index = 0
        var absent = false
        var damaged = false
        // Read and decoded in the child tasks: on every core at once (decoding 100,000 photos'
        // parts one after another was most of a restart).
        try await withThrowingTaskGroup(of: (String, PartRead).self) { group in
            func addTask() {
                let key = missing[index]
                index += 1
                group.addTask {
                    guard
                        let read = try await Self.readFile(
                            key, store: store, cache: fileCache, decode: ManifestPart.decode)
                    else { return (key, .absent) }
                    return (key, read.map(PartRead.photos) ?? .damaged)
                }
            }
            while index < min(concurrency, missing.count) { addTask() }
            while let (key, read) = try await group.next() {
                switch read {
                case .photos(let photos): partCache[key] = photos
                case .absent: absent = true
                case .damaged: damaged = true
                }
                if index < missing.count, !absent, !damaged { addTask() }
            }
        }
        if damaged { return .invalid }
        if absent { return .missing }
        var full: [ManifestPart] = []
        full.reserveCapacity(entries.count)
        for entry in entries {
            guard let photos = partCache[entry.url], photos.count == entry.places,
                photos.count(where: \.isGap) == entry.gaps
            else { return .invalid }
            full.append(ManifestPart(key: entry.url, photos: photos))
        }
        var newest = ManifestPart()
        if let key = header.newest {
            guard let photos = partCache[key], listed + photos.count == places else { return .invalid }
            newest = ManifestPart(key: key, photos: photos)
        }
        // Oldest first across parts too: each part starts after the one before ends.
        var last: GalleryPhoto?
        for part in full + [newest] where !part.photos.isEmpty {
            if let last, !GalleryPhoto.oldestFirst(last, part.photos[0]) { return .invalid }
            last = part.photos[part.photos.count - 1]
        }
        let parts = ManifestParts(full: full, newest: newest, archiveKey: header.archive)
        guard parts.photos.count == places, parts.gapCount == header.gaps, parts.keysAreDistinct else {
            return .invalid
        }
        if let archive = header.archive { archiveCache = (archive, entries) }
        return .read(parts)
    }

    /// Forgets every file read (after a version that did not read back).
    private func forgetCached() {
        partCache = [:]
        archiveCache = nil
    }

    /// Keeps in memory the files `parts` names, and only those.
    private func keepCached(_ parts: ManifestParts) {
        if let fileCache, parts.archiveKey != archiveCache?.key { fileCache.prune(keeping: parts.fileKeys) }
        var cache: [String: [GalleryPhoto]] = [:]
        for part in parts.full + [parts.newest] { if let key = part.key { cache[key] = part.photos } }
        partCache = cache
        if let key = parts.archiveKey, archiveCache?.key != key {
            archiveCache = (key, parts.archiveEntries)
        }
    }

    // MARK: Writing

    /// Writes `next` over `base`: its changed parts and archive under new keys, then `gallery.json`
    /// only if the bucket still holds `base`. With `dryRun`, names what would be written.
    func commit(_ next: ManifestParts, fingerprint: String, over base: ManifestBasis, dryRun: Bool) async throws
        -> Commit
    {
        var next = next
        let files = next.nameChangedFiles()
        let newestUpload = next.photos.last { !$0.isGap }.map { AmzDate($0.uploadedAt).iso8601 } ?? ""
        var header = GalleryManifest.Header(
            photoCount: next.photos.count - next.gapCount, fingerprint: fingerprint, generatedAt: newestUpload,
            archive: next.archiveKey, newest: next.newest.key)
        header.gaps = next.gapCount
        let body = GalleryManifest.encode(header)
        let digest = "\"" + Insecure.MD5.hash(data: body).hexString + "\""
        if files.isEmpty, base.etag == digest {  // the bucket holds this very version
            return Commit(version: .loaded(next, etag: digest, fingerprint: fingerprint), written: [])
        }
        let written = files.map(\.key) + [GalleryManifest.key]
        if dryRun { return Commit(version: nil, written: written) }
        for file in files {
            try await store.put(
                key: file.key, body: file.body, contentType: file.contentType, cacheControl: Self.cacheControl)
            fileCache?.write(file.key, file.body)
        }
        var etag = digest
        do {
            etag = try await store.put(
                key: GalleryManifest.key, body: body, contentType: "application/json", cacheControl: "no-cache",
                condition: base.condition)
        } catch ObjectStoreError.preconditionFailed {
            // Either another writer was first, or this very write was applied and a retry of it
            // (after a timeout, a dropped connection) found its own version there. Judged by the
            // bytes, not the ETag (not an MD5 under SSE-KMS); each version names parts of its own,
            // so the same bytes are this write.
            guard let (data, found) = try await store.readVersion(key: GalleryManifest.key), data == body else {
                // Named by no version yet, but retired rather than deleted: were the write applied
                // and replaced since, a reader may be following them.
                retire(files.map(\.key))
                return Commit(version: nil, written: [])
            }
            etag = found
        }
        keepCached(next)
        retire(base.fileKeys.subtracting(next.fileKeys).sorted())
        await deleteRetired()
        return Commit(version: .loaded(next, etag: etag, fingerprint: fingerprint), written: written)
    }

    /// Files to delete `retireDelay` from now.
    private func retire(_ keys: [String]) {
        let time = now()
        retired += keys.map { ($0, time) }
    }

    /// Parts and archives never change under their key: browsers and caches may keep them.
    static let cacheControl = "public, max-age=31536000, immutable"

    /// Deletes the files replaced versions named once they have been replaced for `retireDelay`.
    /// Never fails the write that called it: a file it could not delete is tried again next time
    /// (and one a stop left behind is a leftover for the next full rebuild).
    private func deleteRetired() async {
        let cutoff = now().addingTimeInterval(-Self.retireDelay)
        while let first = retired.first, first.at <= cutoff {
            do {
                try await store.delete(key: first.key)
            } catch {
                return
            }
            retired.removeFirst()
        }
    }

    /// Deletes files in the manifest's folder that `current` does not name and that are older than
    /// `leftoverAge`: what writers stopped in between left. Returns how many.
    @discardableResult
    func deleteLeftovers(keeping current: ManifestVersion) async throws -> Int {
        // Files waiting out their minute are not leftovers, however old.
        guard let keep = current.parts?.fileKeys.union(retired.map(\.key)) else { return 0 }
        let cutoff = now().addingTimeInterval(-Self.leftoverAge)
        var deleted = 0
        for object in try await store.listAll(prefix: GalleryManifest.partFolder)
        where !keep.contains(object.key) && object.lastModified < cutoff {
            try await store.delete(key: object.key)
            deleted += 1
        }
        return deleted
    }
}
