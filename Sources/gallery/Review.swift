import ArgumentParser
import Foundation
import GalleryKit
import SigV4

/// `gallery review`: decide on uploads that `gallery serve --review` holds back.
struct Review: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List, approve or reject uploads awaiting review (gallery serve --review).",
        subcommands: [List.self, Approve.self, Reject.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the uploads awaiting review, oldest first.")
        @OptionGroup var options: GalleryOptions
        @Flag(help: "Print JSON: an array of {key, title, uploadedAt}.")
        var json = false

        struct Item: Encodable {
            var key: String
            var title: String
            var uploadedAt: String
        }

        func run() async throws {
            let (gallery, _) = try await options.openGallery()
            let items = try await gallery.curator.awaitingReview().photos.map {
                Item(key: $0.key, title: $0.title.text, uploadedAt: AmzDate($0.uploadedAt).iso8601)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
                print(String(decoding: try encoder.encode(items), as: UTF8.self))
                return
            }
            for item in items { print("\(item.key)\t\(item.uploadedAt)\t\(item.title)") }
            print(items.isEmpty ? "Nothing awaits review." : "\(items.count) awaiting review.")
        }
    }

    struct Approve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Publish uploads awaiting review.")
        @OptionGroup var options: GalleryOptions
        @Argument(help: "Upload keys or photo ids.")
        var keys: [String]

        func run() async throws {
            try await CuratedKeys.run(keys, options: options, done: "approved") { try await $0.approve($1) }
        }
    }

    struct Reject: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Refuse uploads awaiting review: their renditions and uploads are deleted.")
        @OptionGroup var options: GalleryOptions
        @Argument(help: "Upload keys or photo ids.")
        var keys: [String]

        func run() async throws {
            try await CuratedKeys.run(keys, options: options, done: "rejected") { try await $0.reject($1) }
        }
    }
}
