import Crypto
public import Foundation
public import Logging
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

/// What a rebuild pass is asked to do: everything, or just these new or retitled photos.
public struct RebuildWork: Sendable, Hashable {
    public var full = false
    public var photos: [GalleryPhoto] = []

    public init(full: Bool = false, photos: [GalleryPhoto] = []) {
        self.full = full
        self.photos = photos
    }
}

/// The generator: keeps the gallery's manifest in memory and writes the site into the bucket.
///
/// `rebuild()` reads every photo's record and title from the bucket and rewrites what differs; `publish(_:)`
/// adds or retitles photos and rewrites only the files they touch, with a number of requests that
/// does not grow with the gallery. Files whose bytes the bucket already holds are never rewritten.
public actor Generator {
    public let store: any ObjectStore
    public let renderer: PageRenderer
    /// Tag reads in flight at once during a full rebuild.
    public let concurrency: Int
    private let logger: Logger
    /// Published photos, oldest first; nil until loaded from the manifest or a rebuild.
    private var photos: [GalleryPhoto]? {
        didSet { shownKeys = Set(photos?.map(\.key) ?? []) }
    }
    /// The keys of `photos`: asked on every repeated upload signal, so not a scan of the gallery.
    private var shownKeys: Set<String> = []
    /// ETags of generated files as the bucket holds them (quoted MD5 of the bytes).
    private var etags: [String: String] = [:]

    /// Generated folders whose files are deleted when no longer part of the site.
    static let generatedFolders = ["photo/", "page/"]
    /// Everything the generator writes: folders (ending in `/`) and single files.
    public static let outputPaths =
        ["index.html", GalleryManifest.key, FeedRenderer.atomKey, FeedRenderer.jsonKey, "assets/"] + generatedFolders
    static let pageCacheControl = "no-cache"
    static let assetCacheControl = "public, max-age=300"

    public init(
        store: any ObjectStore, renderer: PageRenderer, concurrency: Int = 16,
        logger: Logger = Logger(label: "gallery.generator")
    ) {
        self.store = store
        self.renderer = renderer
        self.concurrency = max(1, concurrency)
        self.logger = logger
    }

    /// Runs a pass of the scheduler: a full rebuild, or an update for the given photos.
    public func run(_ work: RebuildWork) async throws {
        if work.full {
            try await rebuild()
        } else {
            try await publish(work.photos)
        }
    }

    // MARK: Full rebuild

    /// Every published photo, oldest first, from the records the publisher keeps, each titled by its
    /// original's Title tag (so a title changed in the S3 console is picked up); a photo whose original
    /// is gone is left out. `progress` sees (done, total).
    public func readPhotos(progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (
        photos: [GalleryPhoto], untitled: Int
    ) {
        let records = try await store.listAll(prefix: SiteLayout.recordFolder)
        let uploads = try await store.listAll(prefix: renderer.configuration.uploadPrefix).count
        let store = self.store
        var found = [GalleryPhoto?](repeating: nil, count: records.count)
        try await withThrowingTaskGroup(of: (Int, GalleryPhoto?).self) { group in
            var next = 0
            var done = 0
            func addTask() {
                let index = next
                let key = records[index].key
                next += 1
                group.addTask {
                    guard let data = try await store.read(key: key, range: nil),
                        let photo = PhotoRecord.decode(data)
                    else { return (index, nil) }
                    let tags: [ObjectTag]
                    do {
                        tags = try await store.tags(key: photo.key)
                    } catch ObjectStoreError.noSuchKey {
                        return (index, nil)  // the original was deleted: the photo is gone
                    }
                    let title = tags.first { $0.key == Publisher.titleTag }.flatMap { Title(tagValue: $0.value) }
                    return (index, photo.retitled(title ?? photo.title))
                }
            }
            while next < min(concurrency, records.count) { addTask() }
            while let (index, photo) = try await group.next() {
                found[index] = photo
                done += 1
                progress?(done, records.count)
                if next < records.count { addTask() }
            }
        }
        let photos = found.compactMap { $0 }.sorted(by: GalleryPhoto.oldestFirst)
        return (photos, max(0, uploads - photos.count))
    }

    /// Rebuilds the whole site from the bucket; with `dryRun`, reports what would be written and writes nothing.
    @discardableResult
    public func rebuild(dryRun: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws
        -> RebuildReport
    {
        var report = RebuildReport()
        let (photos, untitled) = try await readPhotos(progress: progress)
        report.photos = photos.count
        report.untitled = untitled
        try await loadGeneratedETags()

        let layout = SiteLayout(photos: photos, pageSize: renderer.configuration.pageSize)
        let assets = renderer.theme.assets.sorted { $0.key < $1.key }.map {
            GeneratedFile(key: "assets/" + $0.key, body: $0.value, contentType: Theme.contentType(forAsset: $0.key))
        }
        let files = assets + (try renderer.site(layout))
        try await write(files, into: &report, dryRun: dryRun)

        let current = Set(files.map(\.key))
        for folder in Self.generatedFolders {
            for key in etags.keys where key.hasPrefix(folder) && !current.contains(key) {
                report.deleted += 1
                if !dryRun {
                    try await store.delete(key: key)
                    etags[key] = nil
                }
            }
        }
        if !dryRun { self.photos = photos }
        logger.info(
            "rebuilt the gallery",
            metadata: [
                "photos": "\(report.photos)", "written": "\(report.written)", "unchanged": "\(report.unchanged)",
                "deleted": "\(report.deleted)",
            ])
        return report
    }

    /// What the bucket holds of the generated files: one listing per folder, one HEAD per single file.
    private func loadGeneratedETags() async throws {
        var found: [String: String] = [:]
        for folder in Self.generatedFolders + ["assets/"] {
            for object in try await store.listAll(prefix: folder) { found[object.key] = object.etag }
        }
        for key in Self.outputPaths where !key.hasSuffix("/") {
            if let head = try await store.head(key: key) { found[key] = head.etag }
        }
        etags = found
    }

    // MARK: Incremental update

    /// Adds (or retitles) `changed` photos and rewrites only the files they touch.
    @discardableResult
    public func publish(_ changed: [GalleryPhoto]) async throws -> RebuildReport {
        guard var photos = try await loadedPhotos() else { return try await rebuild() }
        var touchedKeys = Set<String>()
        for photo in changed {
            if let existing = photos.firstIndex(where: { $0.key == photo.key }) {
                photos.remove(at: existing)
            }
            photos.insert(photo, at: SiteLayout.insertionIndex(of: photo, in: photos))
            touchedKeys.insert(photo.key)
        }
        let indices = photos.indices.filter { touchedKeys.contains(photos[$0].key) }
        let layout = SiteLayout(photos: photos, pageSize: renderer.configuration.pageSize)
        var report = RebuildReport()
        report.photos = photos.count
        try await write(try renderer.files(touchedBy: indices, in: layout), into: &report, dryRun: false)
        self.photos = photos
        logger.info(
            "updated the gallery",
            metadata: ["photos": "\(report.photos)", "changed": "\(changed.count)", "written": "\(report.written)"])
        return report
    }

    /// Whether the gallery shows the photo uploaded under `key`, as far as this generator knows (false
    /// before it has loaded or built the gallery).
    public func shows(key: String) -> Bool { shownKeys.contains(key) }

    /// The photos in memory, else from the bucket's manifest; nil when there is no usable manifest.
    private func loadedPhotos() async throws -> [GalleryPhoto]? {
        if let photos { return photos }
        guard let data = try await store.read(key: GalleryManifest.key, range: nil),
            let loaded = GalleryManifest.decode(data)
        else { return nil }
        photos = loaded
        return loaded
    }

    // MARK: Writing

    private func write(_ files: [GeneratedFile], into report: inout RebuildReport, dryRun: Bool) async throws {
        for file in files {
            let etag = "\"" + Insecure.MD5.hash(data: file.body).hexString + "\""
            if etags[file.key] == etag {
                report.unchanged += 1
                continue
            }
            report.written += 1
            report.writtenKeys.append(file.key)
            if dryRun { continue }
            try await store.put(
                key: file.key, body: file.body, contentType: file.contentType,
                cacheControl: file.key.hasPrefix("assets/") ? Self.assetCacheControl : Self.pageCacheControl)
            etags[file.key] = etag
        }
    }
}
