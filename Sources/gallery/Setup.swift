import ArgumentParser
import AsyncHTTPClient
import Foundation
import GalleryKit
import GalleryS3

/// `gallery setup`: make an S3 bucket ready to host the gallery.
struct Setup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Make an S3 bucket ready: create it, website hosting, public read of the gallery only, CORS, notifications.",
        discussion: "Idempotent: run it again after changing flags. Needs --bucket.")

    @OptionGroup var options: GalleryOptions

    @Option(
        help:
            "The service's public URL to send upload notifications to (via SNS), e.g. https://gallery-api.example.com.")
    var notifyURL: String?

    @Option(help: "The events token to put in the notification URL (default: GALLERY_EVENTS_TOKEN).")
    var eventsToken: String?

    func validate() throws {
        guard options.bucket != nil else { throw ValidationError("setup needs --bucket NAME.") }
        if notifyURL != nil, (eventsToken ?? ProcessInfo.processInfo.environment["GALLERY_EVENTS_TOKEN"]) == nil {
            throw ValidationError(
                "--notify-url needs --events-token (or GALLERY_EVENTS_TOKEN), which /events requires.")
        }
    }

    func run() async throws {
        let (store, _) = try options.openStore()
        guard let s3 = store as? S3Store else { throw ValidationError("setup needs --bucket NAME.") }
        let token = eventsToken ?? ProcessInfo.processInfo.environment["GALLERY_EVENTS_TOKEN"] ?? ""
        let target = notifyURL.map { url -> String in
            var base = url
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/events?token=" + (token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }
        if options.publicURL == nil {
            // The invite page is the service's: its uploads come from the service's origin.
            print(
                "warning: no --public-url: the bucket takes upload POSTs from the gallery's origin and from "
                    + "\(options.configuration.publicURL) only; give the --public-url the service runs with.")
        }
        let setup = BucketSetup(
            client: s3.client, publicPaths: options.configuration.publicPaths,
            uploadPrefix: options.configuration.uploadPrefix,
            uploadOrigins: [options.configuration.galleryURL, options.configuration.publicURL])
        let topicsKey = options.configuration.notificationTopicsKey
        let report = try await setup.run(notifyURL: target) { topic in
            try await NotificationTopics.record(topic, in: store, key: topicsKey)
        }
        for step in report.steps { print("✓ \(step)") }
        print("The gallery will be at \(report.websiteURL)/ once `gallery serve --bucket \(s3.bucket)` has built it.")
    }
}
