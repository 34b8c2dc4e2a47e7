import Crypto
public import Foundation
public import Logging
import SigV4

/// The generator: keeps the gallery's manifest in memory and writes the site into the bucket.
///
/// `rebuild()` reads every photo's record and title from the bucket and rewrites what differs; `publish(_:)`
/// adds or retitles photos and rewrites only the files they touch, with a number of requests that
/// does not grow with the gallery. Files whose bytes the bucket already holds are never rewritten.
///
/// Several generators may share a bucket (instances of the service, `gallery regenerate`): they meet
/// at the manifest (`ManifestStore`). Each writes it only over the version it read (a conditional
/// write of `gallery.json`); the one that loses reads the newer version, redoes its change on top
/// and writes again. After writing pages, a
/// writer looks whether the manifest moved on meanwhile, and if so renders again, from the newest
/// version, every file either change touched: the last writer's pages are always the newest list's.
public actor Generator: PageBuilder {
    public let store: any ObjectStore
    public let renderer: PageRenderer
    /// Tag reads in flight at once during a full rebuild.
    public let concurrency: Int
    private let logger: Logger
    /// Reads and writes the manifest's files.
    private let manifestStore: ManifestStore
    /// Published photos, oldest first, in the parts of the manifest this generator last read or
    /// wrote; nil until loaded from the manifest or a rebuild.
    private var manifest: ManifestVersion?
    /// ETags of generated files as the bucket holds them (quoted MD5 of the bytes), as far as this
    /// generator knows: forgotten for pages when another writer's manifest shows up.
    private var etags: [String: String] = [:]

    /// Generated folders whose files are deleted when no longer part of the site.
    static let generatedFolders = ["photo/", "page/"]
    /// Everything the generator writes: folders (ending in `/`) and single files.
    public static let outputPaths =
        [
            "index.html", GalleryManifest.key, FeedRenderer.atomKey, FeedRenderer.jsonKey, "assets/",
            GalleryManifest.partFolder,
        ] + generatedFolders
    static let pageCacheControl = "no-cache"
    static let assetCacheControl = "public, max-age=300"
    /// Conditional writes of the manifest tried before giving up (each loss means another writer won).
    static let maximumManifestAttempts = 50

    public init(
        store: any ObjectStore, renderer: PageRenderer, concurrency: Int = 16,
        logger: Logger = Logger(label: "gallery.generator"), fileCache: PartFileCache? = nil,
        now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.store = store
        self.renderer = renderer
        self.concurrency = max(1, concurrency)
        self.logger = logger
        manifestStore = ManifestStore(store: store, concurrency: concurrency, fileCache: fileCache, now: now)
    }

    /// Runs a pass of the scheduler: a full rebuild, the start-up check, or an update for the given photos.
    public func run(_ work: RebuildWork) async throws {
        if work.full {
            try await rebuild()
        } else {
            if work.startUp { try await startUp() }
            if !work.photos.isEmpty { try await publish(work.photos) }
        }
    }

    /// At start: trusts the bucket's manifest when it reads back and was rendered by this theme and
    /// these settings (its fingerprint), so a restart costs one read, not a full rebuild; otherwise
    /// (missing, unreadable, another theme or version) rebuilds everything. True when it rebuilt.
    @discardableResult
    public func startUp() async throws -> Bool {
        let found = try await manifestStore.read()
        if case .loaded(let parts, _, let fingerprint) = found, fingerprint == renderer.fingerprint {
            manifest = found
            let photos = parts.photos
            // The manifest is written before the pages: a crash between the two left the newest
            // photo's pages unwritten. Writing them again costs a handful of requests.
            let layout = SiteLayout(photos: photos, pageSize: renderer.configuration.pageSize)
            var report = RebuildReport()
            let newest = photos.isEmpty ? [] : [photos.count - 1]
            try await write(try renderer.files(touchedBy: newest, in: layout), into: &report, dryRun: false)
            logger.info(
                "the gallery's manifest is current; no rebuild at start",
                metadata: ["photos": "\(photos.count)", "written": "\(report.written)"])
            return false
        }
        let reason =
            switch found {
            case .absent: "there is no manifest"
            case .unreadable: "the manifest does not read back"
            case .loaded: "the theme or the settings changed"
            }
        logger.notice("rebuilding the gallery at start", metadata: ["reason": "\(reason)"])
        try await rebuild()
        return true
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
                    // Taken off the gallery: its place is kept, whatever became of the original.
                    if photo.isGap { return (index, photo) }
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
    ///
    /// Photos published by other writers while the records were read (they are in the manifest now,
    /// not in the one read at the start) are kept.
    @discardableResult
    public func rebuild(dryRun: Bool = false, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws
        -> RebuildReport
    {
        var report = RebuildReport()
        let before = try await manifestStore.read()
        let (read, untitled) = try await readPhotos(progress: progress)
        report.untitled = untitled
        try await loadGeneratedETags()
        var current = before
        var photos = read
        var done = false
        for attempt in 1...Self.maximumManifestAttempts where !done {
            if attempt > 1 {
                // Another writer was first: its manifest, and the pages as it left them.
                current = try await manifestStore.read()
                try await loadGeneratedETags()
            }
            photos = Self.merging(before.changes(in: current.photos), into: read)
            let layout = SiteLayout(photos: photos, pageSize: renderer.configuration.pageSize)
            let files = try renderer.site(layout)
            let assets = renderer.theme.assets.sorted { $0.key < $1.key }.map {
                GeneratedFile(key: "assets/" + $0.key, body: $0.value, contentType: Theme.contentType(forAsset: $0.key))
            }
            let parts = ManifestParts(chunking: photos, reusing: current.parts)
            if dryRun {
                _ = try await commit(parts, over: current.basis, into: &report, dryRun: true)
                try await write(assets + files, into: &report, dryRun: true)
                done = true
                break
            }
            guard let written = try await commit(parts, over: current.basis, into: &report) else { continue }
            try await write(assets + files, into: &report, dryRun: false)
            try await deleteStale(keeping: Set(files.map(\.key)), into: &report)
            try await settle(written, touched: [])
            do {
                try await manifestStore.deleteLeftovers(keeping: manifest ?? written)
            } catch {
                // The gallery is built; leftovers wait for the next full rebuild.
                logger.warning("could not delete the manifest's leftovers", metadata: ["error": "\(error)"])
            }
            done = true
        }
        guard done else { throw ObjectStoreError.preconditionFailed(GalleryManifest.key) }
        report.photos = photos.count(where: { !$0.isGap })
        logger.info(
            "rebuilt the gallery",
            metadata: [
                "photos": "\(report.photos)", "written": "\(report.written)", "unchanged": "\(report.unchanged)",
                "deleted": "\(report.deleted)",
            ])
        return report
    }

    /// Deletes generated pages and photo pages that are not part of the site any more.
    private func deleteStale(keeping current: Set<String>, into report: inout RebuildReport) async throws {
        for folder in Self.generatedFolders {
            for key in etags.keys.sorted() where key.hasPrefix(folder) && !current.contains(key) {
                report.deleted += 1
                try await store.delete(key: key)
                etags[key] = nil
            }
        }
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

    /// Adds (or retitles) `changed` photos and rewrites only the files they touch. A photo the
    /// manifest lists as a gap (taken off by an operator) stays off: a publication still on its way
    /// when the photo was taken down never brings it back (`restore` does, on purpose).
    @discardableResult
    public func publish(_ changed: [GalleryPhoto]) async throws -> RebuildReport {
        try await update(changed, restoring: false)
    }

    /// Puts `photos` back (unhidden) or in for the first time (approved), gaps of theirs included.
    @discardableResult
    public func restore(_ photos: [GalleryPhoto]) async throws -> RebuildReport {
        try await update(photos, restoring: true)
    }

    /// Takes the photos uploaded under `keys` off the gallery, at constant cost: each leaves a gap
    /// (its page shows one photo fewer; no later page is renumbered), its photo page is deleted, and
    /// its neighbours' photo pages, its page, the index, the feeds and the manifest are rewritten.
    ///
    /// A key already a gap has its files written again (a take-down that stopped half way is finished
    /// by doing it again). A key the manifest does not list yet but `placedAt` places (from its
    /// record) gets its gap, so a publication still on its way cannot show it. Returns the photos
    /// taken off, as the manifest showed them.
    @discardableResult
    public func withdraw(keys: [String], placedAt: [String: Date] = [:]) async throws -> (
        report: RebuildReport, withdrawn: [GalleryPhoto]
    ) {
        var listed = try await listedPhotos(keys)
        if listed.count < Set(keys).count {
            // Published by another writer since this generator read the manifest: read it again.
            manifest = nil
            listed = try await listedPhotos(keys)
        }
        let known = Set(listed.map(\.key))
        let unlisted = Set(keys).subtracting(known).sorted().compactMap { key in
            placedAt[key].map { GalleryPhoto.gap(key: key, uploadedAt: $0) }
        }
        let gaps = listed.map(\.gap) + unlisted
        guard !gaps.isEmpty else { return (RebuildReport(), []) }
        return (try await update(gaps, restoring: false), listed.filter { !$0.isGap })
    }

    /// The photos among `keys` that the manifest lists (gaps too), as listed.
    private func listedPhotos(_ keys: [String]) async throws -> [GalleryPhoto] {
        guard let parts = try await loadedManifest()?.parts else { return [] }
        return Set(keys).sorted().compactMap { key in parts.index(of: key).map { parts.photos[$0] } }
    }

    /// Whether the bucket's manifest was rendered with this generator's theme and settings (or there
    /// is none yet): an operator's command must render pages as the service does.
    public func rendersLikeTheBucket() async throws -> Bool {
        guard case .loaded(_, _, let fingerprint)? = try await loadedManifest() else { return true }
        return fingerprint == renderer.fingerprint
    }

    /// Adds, replaces, takes off or puts back `changed` photos (a gap takes a photo off) and rewrites
    /// only the files they touch: when every one keeps its place, not even the later pages.
    private func update(_ changed: [GalleryPhoto], restoring: Bool) async throws -> RebuildReport {
        for _ in 1...Self.maximumManifestAttempts {
            guard let base = try await loadedManifest()?.basis else { return try await rebuild() }
            var changed = changed
            if !restoring, let parts = manifest?.parts {
                changed.removeAll { photo in
                    !photo.isGap && parts.index(of: photo.key).map { parts.photos[$0].isGap } == true
                }
                if changed.isEmpty { return RebuildReport() }
            }
            let inPlace = changed.allSatisfy { photo in
                manifest?.parts.flatMap { parts in parts.index(of: photo.key).map { parts.photos[$0] } }?.uploadedAt
                    == photo.uploadedAt
            }
            // Changed in place in memory (a copy of 100,000 photos was two thirds of an upload):
            // until written, `shows(key:)` already says yes for these photos, which this pass is
            // showing; if the write loses or fails, the version is read again.
            manifest?.apply(changed)
            guard let parts = manifest?.parts else { return try await rebuild() }
            let written: ManifestVersion
            var report = RebuildReport()
            let touched = Set(changed.map(\.key))
            do {
                let layout = SiteLayout(photos: parts.photos, pageSize: renderer.configuration.pageSize)
                let files = try renderer.files(
                    touchedBy: changed.compactMap { parts.index(of: $0.key) }, in: layout, inPlace: inPlace)
                report.photos = parts.shownCount
                guard let version = try await commit(parts, over: base, into: &report) else { continue }
                written = version
                try await write(files, into: &report, dryRun: false)
                // A photo taken off: its page goes (S3 website hosting then answers 404 for it).
                for gap in changed where gap.isGap {
                    let key = SiteLayout.photoPageKey(gap)
                    try await store.delete(key: key)
                    etags[key] = nil
                    report.deleted += 1
                }
            } catch {
                manifest = nil
                throw error
            }
            try await settle(written, touched: touched)
            logger.info(
                "updated the gallery",
                metadata: ["photos": "\(report.photos)", "changed": "\(changed.count)", "written": "\(report.written)"])
            return report
        }
        throw ObjectStoreError.preconditionFailed(GalleryManifest.key)
    }

    /// Whether the gallery shows the photo uploaded under `key`, as far as this generator knows (false
    /// before it has loaded or built the gallery).
    /// A photo taken off the gallery counts as shown here: its place is listed (as a gap).
    public func shows(key: String) -> Bool { manifest?.parts?.contains(key: key) ?? false }

    /// The newest `count` photos the gallery shows, newest first (the review page's "recent" list).
    public func newestShown(_ count: Int) async throws -> [GalleryPhoto] {
        guard let parts = try await loadedManifest()?.parts else { return [] }
        return SiteLayout(photos: parts.photos, pageSize: 1).newestShown(count)
    }

    /// The manifest in memory, else the bucket's; nil when there is no usable manifest.
    private func loadedManifest() async throws -> ManifestVersion? {
        if let manifest { return manifest }
        let read = try await manifestStore.read()
        guard case .loaded = read else { return nil }
        manifest = read
        return read
    }

    // MARK: Meeting other writers at the manifest

    /// Writes the manifest `parts` over `base`, only if the bucket still holds `base`: the new
    /// version, or nil when another writer was first (then the manifest is read again on the next
    /// call, and the pages' ETags this generator remembers are forgotten: the other writer wrote pages).
    private func commit(
        _ parts: ManifestParts, over base: ManifestBasis, into report: inout RebuildReport, dryRun: Bool = false
    ) async throws -> ManifestVersion? {
        let commit = try await manifestStore.commit(
            parts, fingerprint: renderer.fingerprint, over: base, dryRun: dryRun)
        report.written += commit.written.count
        report.writtenKeys += commit.written
        if commit.written.isEmpty, commit.version != nil { report.unchanged += 1 }
        if dryRun { return nil }
        guard let version = commit.version else {
            logger.info("another writer changed the manifest first; reading it again")
            manifest = nil
            forgetPageETags()
            return nil
        }
        manifest = version
        return version
    }

    /// After writing the files of `version` (the photos `touched` changed): while the bucket's
    /// manifest is a newer one, render again from it every file that its changes or `touched` touch,
    /// and write them whatever this generator remembers of their bytes. Another writer's pages may
    /// have landed before ours, or ours after theirs; this way the newest list's pages win.
    private func settle(_ version: ManifestVersion, touched: Set<String>) async throws {
        var base = version
        for _ in 1...Self.maximumManifestAttempts {
            guard let head = try await store.head(key: GalleryManifest.key), head.etag != base.etag else { return }
            let newest = try await manifestStore.read()
            guard let photos = newest.parts?.photos else { return }
            forgetPageETags()
            let keys = touched.union(base.changes(in: photos).map(\.key))
            let layout = SiteLayout(photos: photos, pageSize: renderer.configuration.pageSize)
            var report = RebuildReport()
            let indices = layout.indices(of: keys)
            let files = try renderer.files(touchedBy: indices, in: layout)
            try await write(files, into: &report, dryRun: false)
            // A photo taken off meanwhile: its page may have been written after the take-down deleted it.
            for index in indices where photos[index].isGap {
                try await store.delete(key: SiteLayout.photoPageKey(photos[index]))
            }
            logger.info(
                "another writer published meanwhile; rewrote the pages both touched",
                metadata: ["written": "\(report.written)"])
            manifest = newest
            base = newest
        }
    }

    /// Forgets the ETags of pages (not of assets, which only a theme change rewrites).
    private func forgetPageETags() {
        etags = etags.filter { $0.key.hasPrefix("assets/") }
    }

    /// `rebuilt` with `added` put in their places (replacing a photo of the same key).
    static func merging(_ added: [GalleryPhoto], into rebuilt: [GalleryPhoto]) -> [GalleryPhoto] {
        var photos = rebuilt
        for photo in added {
            if let existing = photos.firstIndex(where: { $0.key == photo.key }) { photos.remove(at: existing) }
            photos.insert(photo, at: SiteLayout.insertionIndex(of: photo, in: photos))
        }
        return photos
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
