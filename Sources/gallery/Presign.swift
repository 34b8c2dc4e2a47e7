import ArgumentParser
import Foundation
import GalleryKit
import SigV4

/// `gallery presign`: what `POST /upload` does, from the command line.
struct Presign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Presign an upload for a title and queue the title; prints the form as JSON.",
        discussion: "Upload with e.g. curl: every field as -F name=value, then -F file=@photo.jpg last.")

    @OptionGroup var options: GalleryOptions

    @Option(help: "The photo's title.")
    var title: String

    func run() async throws {
        let normalized: Title
        do {
            normalized = try Title(normalizing: title)
        } catch {
            throw ValidationError("\(error)")
        }
        let presigner = UploadPresigner(
            store: try options.openStore().0, queue: try options.openQueue(), configuration: options.configuration)
        let upload = try await presigner.presign(title: normalized)
        let object: [String: Any] = [
            "url": upload.form.url, "key": upload.key, "title": upload.title.text,
            "expiresAt": AmzDate(upload.expiresAt).iso8601,
            "fields": Dictionary(upload.form.post.fields.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
        ]
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }
}
