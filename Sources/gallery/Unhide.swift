import ArgumentParser
import GalleryKit

/// `gallery unhide`: put hidden photos back.
struct Unhide: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Put hidden photos back in their places.")

    @OptionGroup var options: GalleryOptions

    @Argument(help: "Upload keys or photo ids.")
    var keys: [String]

    func run() async throws {
        let tally = StoreRequestTally()
        let (gallery, _) = try await options.openGallery(metrics: tally.metrics)
        for text in keys {
            let key = try gallery.curator.uploadKey(text)
            let photo = try await gallery.curator.unhide(key)
            print("unhid \(key) (“\(photo.title.text)”)")
        }
        tally.report("\(keys.count) photo\(keys.count == 1 ? "" : "s") put back")
    }
}
