import GalleryKit

/// What the operators' commands share: the gallery with its store requests counted, each KEY taken
/// as an upload key or a photo id, the action on it with a line per photo, and the count at the end.
enum CuratedKeys {
    static func run(
        _ texts: [String], options: GalleryOptions, done verb: String,
        _ action: (Curator, String) async throws -> GalleryPhoto?
    ) async throws {
        let tally = StoreRequestTally()
        let (gallery, _) = try await options.openGallery(metrics: tally.metrics)
        for text in texts {
            let key = try gallery.curator.uploadKey(text)
            let photo = try await action(gallery.curator, key)
            print("\(verb) \(key)" + (photo.map { " (“\($0.title.text)”)" } ?? ""))
        }
        tally.report("\(texts.count) photo\(texts.count == 1 ? "" : "s") \(verb)")
    }
}
