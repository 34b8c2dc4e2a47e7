import ArgumentParser
import GalleryKit

/// `gallery unhide`: put hidden photos back.
struct Unhide: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put hidden photos back in their places.")

    @OptionGroup var options: GalleryOptions

    @Argument(help: "Upload keys or photo ids.")
    var keys: [String]

    func run() async throws {
        try await CuratedKeys.run(keys, options: options, done: "put back") { try await $0.unhide($1) }
    }
}
