import ArgumentParser
import Foundation
import GalleryKit
import GalleryServer
import Hummingbird
import Logging
import SigV4

/// `gallery serve`: the HTTP service with the embedded bucket.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service: title form, presigned uploads, the local bucket, the tagger and the generator.")

    @OptionGroup var options: GalleryOptions

    @Option(help: "Seconds /uploaded waits for the rebuild that shows the new photo.")
    var rebuildWait: Int = 10

    func run() async throws {
        let (gallery, bucket) = try await options.openGallery()
        var settings = ServerSettings(host: options.host, port: options.port)
        settings.rebuildWait = .seconds(rebuildWait)
        let logger = options.makeLogger()
        logger.notice(
            "BucketGallery is starting",
            metadata: [
                "gallery": "\(options.resolvedPublicURL)/", "bucket": "\(bucket.root.path)",
                "jobs": "\(options.jobs)", "accessKeyID": "\(bucket.credentials.accessKeyID)",
            ])
        let app = buildApplication(gallery: gallery, localBucket: bucket, settings: settings, logger: logger)
        try await app.runService()
    }
}
