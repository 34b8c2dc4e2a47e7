import ArgumentParser
import GalleryKit

/// `gallery hide`: take photos off the gallery reversibly.
struct Hide: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take photos off the gallery until `gallery unhide`: their renditions are kept, privately.")

    @OptionGroup var options: GalleryOptions

    @Argument(help: "Upload keys or photo ids.")
    var keys: [String]

    func run() async throws {
        try await CuratedKeys.run(keys, options: options, done: "hidden") { try await $0.hide($1) }
    }
}
