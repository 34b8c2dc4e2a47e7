import ArgumentParser
import Foundation
import GalleryKit
import SigV4

#if canImport(Glibc)
    import Glibc
#endif

/// `gallery regenerate`: rebuild every page from the bucket now.
struct Regenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the whole gallery from the bucket's photo records and their originals' Title tags.",
        discussion: """
            Titles changed outside the service (in the S3 console, say) are picked up. Records are read 16 at \
            a time (--concurrency). With --renditions, every published photo's renditions are first made again \
            from its original, one image per core at a time.
            """)

    @OptionGroup var options: GalleryOptions

    @Flag(help: "Print what would be written, and write nothing.")
    var dryRun = false

    @Flag(help: "Make every published photo's renditions again from its original (after a change of widths, say).")
    var renditions = false

    func validate() throws {
        if dryRun && renditions { throw ValidationError("--renditions writes renditions: it cannot be a dry run.") }
    }

    func run() async throws {
        let (gallery, _) = try await options.openGallery()
        if renditions { try await remakeRenditions(gallery) }
        let progress = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1, noun: "records read")
        let report = try await gallery.generator.rebuild(dryRun: dryRun) { done, total in progress.update(done, total) }
        progress.finish()
        if dryRun {
            for key in report.writtenKeys { print("would write \(key)") }
            if report.deleted > 0 { print("would delete \(report.deleted) stale pages") }
        }
        print(
            "\(dryRun ? "Dry run" : "Rebuilt the gallery"): \(report.photos) photos, \(report.written) files "
                + "\(dryRun ? "to write" : "written"), \(report.unchanged) unchanged, \(report.deleted) stale pages "
                + "\(dryRun ? "to delete" : "deleted")"
                + (report.untitled > 0 ? ", \(report.untitled) uploads not published yet." : "."))
    }

    /// Where versions before the photo pipeline published uploads as they came (publicly).
    static let legacyUploadPrefix = "photos/"

    /// Titled uploads under `photos/` (published as they came by versions before the photo pipeline)
    /// moved to `incoming/`, tags and all; returns their new keys. An upload without a title was never
    /// published and is left alone.
    private func moveLegacyUploads(_ gallery: Gallery) async throws -> [String] {
        let store = gallery.store
        var moved: [String] = []
        for object in try await store.listAll(prefix: Self.legacyUploadPrefix) {
            let tags = try await store.tags(key: object.key)
            guard tags.contains(where: { $0.key == Publisher.titleTag }),
                let head = try await store.head(key: object.key),
                let body = try await store.read(key: object.key, range: nil)
            else { continue }
            let key = gallery.configuration.uploadPrefix + GalleryPhoto.id(forKey: object.key)
            try await store.put(key: key, body: body, contentType: head.contentType, cacheControl: nil)
            // Its original time goes along, so the photo keeps its place in the gallery.
            var uploaded: [UInt8] = []
            AmzDate.appendMilliseconds(head.lastModified, to: &uploaded)
            let kept = tags.filter { $0.key != Publisher.uploadedAtTag }.prefix(9)
            try await store.putTags(
                kept + [ObjectTag(key: Publisher.uploadedAtTag, value: String(decoding: uploaded, as: UTF8.self))],
                key: key)
            try await store.delete(key: object.key)
            moved.append(key)
        }
        if !moved.isEmpty {
            print(
                "Moved \(moved.count) uploads from \(Self.legacyUploadPrefix) to the private \(gallery.configuration.uploadPrefix)."
            )
        }
        return moved
    }

    /// Every published photo's renditions made again, as many at once as there are cores; uploads an
    /// earlier version published under `photos/` are moved to the private upload prefix first.
    private func remakeRenditions(_ gallery: Gallery) async throws {
        var keys = try await moveLegacyUploads(gallery)
        let records = try await gallery.store.listAll(prefix: SiteLayout.recordFolder)
        for record in records {
            guard let data = try await gallery.store.read(key: record.key, range: nil),
                let photo = PhotoRecord.decode(data), !keys.contains(photo.key)
            else { continue }
            keys.append(photo.key)
        }
        let progress = ProgressReporter(interactive: isatty(STDERR_FILENO) == 1, noun: "photos rendered")
        let publisher = gallery.publisher
        var rejected = 0
        try await withThrowingTaskGroup(of: UploadOutcome.self) { group in
            var next = 0
            var done = 0
            let width = ProcessInfo.processInfo.activeProcessorCount
            while next < min(width, keys.count) {
                let key = keys[next]
                group.addTask { try await publisher.remake(key: key) }
                next += 1
            }
            while let outcome = try await group.next() {
                if case .rejected = outcome { rejected += 1 }
                done += 1
                progress.update(done, keys.count)
                if next < keys.count {
                    let key = keys[next]
                    group.addTask { try await publisher.remake(key: key) }
                    next += 1
                }
            }
        }
        progress.finish()
        print(
            "Made the renditions of \(keys.count - rejected) photos again"
                + (rejected > 0 ? "; \(rejected) uploads could not be made again and were left as they are." : "."))
    }
}
