import ArgumentParser
import GalleryKit

/// `gallery remove`: take photos down.
struct Remove: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take photos down: off every page and feed, their renditions and (unless kept) uploads deleted.",
        discussion: """
            KEY is the presign answer's key (incoming/…) or the photo's id (the name of its page, photo/<id>.html). \
            The photo's page, the page it sat on, its neighbours' pages, the index, the feeds and gallery.json are \
            rewritten; later pages keep their numbers (a page may hold one photo fewer). Safe while `gallery serve` runs.
            """)

    @OptionGroup var options: GalleryOptions

    @Flag(help: "Keep the uploaded original (private) in the bucket.")
    var keepOriginal = false

    @Argument(help: "Upload keys or photo ids.")
    var keys: [String]

    func run() async throws {
        try await CuratedKeys.run(keys, options: options, done: "removed") { try await $0.remove($1, keepOriginal: keepOriginal) }
    }
}
