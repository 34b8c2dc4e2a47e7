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
        let tally = StoreRequestTally()
        let (gallery, _) = try await options.openGallery(metrics: tally.metrics)
        for text in keys {
            let key = try gallery.curator.uploadKey(text)
            let photo = try await gallery.curator.hide(key)
            print("hid \(key) (“\(photo.title.text)”)")
        }
        tally.report("\(keys.count) photo\(keys.count == 1 ? "" : "s") hidden")
    }
}
