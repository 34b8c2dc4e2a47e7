import Crypto
import Foundation
public import Logging
import SigV4

/// What one rebuild did.
public struct RebuildReport: Sendable, Hashable {
    /// Photos on the gallery.
    public var photos = 0
    /// Objects under the upload prefix not (yet) published: no Title tag.
    public var untitled = 0
    /// Files written (pages and assets).
    public var written = 0
    /// Files skipped because the bucket already held the same bytes.
    public var unchanged = 0
    /// Stale generated pages deleted.
    public var deleted = 0

    public init() {}
}

/// The generator: reads the bucket's photos and their titles, renders the site with the theme,
/// and writes it into the bucket (assets, photo pages, gallery pages, index last).
public struct Generator: Sendable {
    public let store: any ObjectStore
    public let renderer: PageRenderer
    /// Tag reads in flight at once.
    public let concurrency: Int
    private let logger: Logger

    /// Generated folders whose files are deleted when no longer part of the site.
    static let generatedFolders = ["photo/", "page/"]
    /// Everything the generator writes: folders (ending in `/`) and single files.
    public static let outputPaths = ["index.html", "assets/"] + generatedFolders
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

    /// Every published photo, newest first.
    public func photos() async throws -> (photos: [GalleryPhoto], untitled: Int) {
        let objects = try await store.listAll(prefix: renderer.configuration.uploadPrefix)
        var found: [GalleryPhoto?] = []
        found.reserveCapacity(objects.count)
        try await withThrowingTaskGroup(of: (Int, GalleryPhoto?).self) { group in
            var next = 0
            func addTask() {
                let index = next
                let object = objects[index]
                next += 1
                group.addTask {
                    let tags: [ObjectTag]
                    do {
                        tags = try await store.tags(key: object.key)
                    } catch ObjectStoreError.noSuchKey {
                        return (index, nil)  // deleted since the listing
                    }
                    guard
                        let title = tags.first(where: { $0.key == UploadProcessor.titleTag }).flatMap({
                            Title(tagValue: $0.value)
                        })
                    else { return (index, nil) }
                    return (
                        index,
                        GalleryPhoto(
                            key: object.key, title: title, uploadedAt: object.lastModified, size: object.size,
                            etag: object.etag)
                    )
                }
            }
            found = Array(repeating: nil, count: objects.count)
            while next < min(concurrency, objects.count) { addTask() }
            while let (index, photo) = try await group.next() {
                found[index] = photo
                if next < objects.count { addTask() }
            }
        }
        let photos = found.compactMap { $0 }.sorted(by: GalleryPhoto.newestFirst)
        return (photos, objects.count - photos.count)
    }

    /// Rebuilds the whole site from the bucket.
    @discardableResult
    public func rebuild() async throws -> RebuildReport {
        var report = RebuildReport()
        let (photos, untitled) = try await self.photos()
        report.photos = photos.count
        report.untitled = untitled

        var files = renderer.theme.assets.sorted { $0.key < $1.key }.map {
            GeneratedFile(key: "assets/" + $0.key, body: $0.value, contentType: Theme.contentType(forAsset: $0.key))
        }
        files += try renderer.site(photos)
        for file in files {
            let isAsset = file.key.hasPrefix("assets/")
            if try await isUnchanged(file) {
                report.unchanged += 1
                continue
            }
            try await store.put(
                key: file.key, body: file.body, contentType: file.contentType,
                cacheControl: isAsset ? Self.assetCacheControl : Self.pageCacheControl)
            report.written += 1
        }

        let current = Set(files.map(\.key))
        for folder in Self.generatedFolders {
            for object in try await store.listAll(prefix: folder) where !current.contains(object.key) {
                try await store.delete(key: object.key)
                report.deleted += 1
            }
        }
        logger.info(
            "rebuilt the gallery",
            metadata: [
                "photos": "\(report.photos)", "written": "\(report.written)", "unchanged": "\(report.unchanged)",
                "deleted": "\(report.deleted)",
            ])
        return report
    }

    private func isUnchanged(_ file: GeneratedFile) async throws -> Bool {
        guard let head = try await store.head(key: file.key) else { return false }
        return head.contentType == file.contentType
            && head.etag == "\"" + Insecure.MD5.hash(data: file.body).hexString + "\""
    }
}
