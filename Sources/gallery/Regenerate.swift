import ArgumentParser
import GalleryKit

/// `gallery regenerate`: rebuild every page from the bucket now.
struct Regenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild the whole gallery from the bucket's photos and their Title tags.")

    @OptionGroup var options: GalleryOptions

    func run() async throws {
        let (gallery, _) = try await options.openGallery()
        let report = try await gallery.generator.rebuild()
        print(
            "Rebuilt the gallery: \(report.photos) photos, \(report.written) files written, "
                + "\(report.unchanged) unchanged, \(report.deleted) stale pages deleted"
                + (report.untitled > 0 ? ", \(report.untitled) uploads still untitled." : "."))
    }
}
