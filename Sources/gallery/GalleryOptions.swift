import ArgumentParser
import Foundation
import GalleryKit
import Logging
import SigV4

/// Options every command shares: where the bucket, queue and theme are, and how visitors reach the service.
struct GalleryOptions: ParsableArguments {
    @Option(help: "The folder of the embedded local bucket.")
    var local: String = "./bucket"

    @Option(help: "The job queue's folder.")
    var jobs: String = "./jobs"

    @Option(help: "The theme folder (templates/ and assets/).")
    var site: String = "./site"

    @Option(help: "The address the service listens on.")
    var host: String = "127.0.0.1"

    @Option(help: "The port the service listens on.")
    var port: Int = 8080

    @Option(help: "The URL visitors reach the service at (default: http://<host>:<port>).")
    var publicURL: String?

    @Option(help: "The largest photo accepted, in bytes.")
    var maxUploadBytes: Int = 20 * 1024 * 1024

    @Option(help: "Photos per gallery page.")
    var pageSize: Int = 60

    @Option(help: "The gallery's name, shown on every page.")
    var siteTitle: String = "BucketGallery"

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1 to 65535.") }
        guard maxUploadBytes >= 1 else { throw ValidationError("--max-upload-bytes must be at least 1.") }
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 1000.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("Unknown --log-level '\(logLevel)'.")
        }
        if let publicURL {
            guard let url = URL(string: publicURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--public-url must be an http(s) URL, like https://gallery.example.com.")
            }
        }
    }

    var resolvedPublicURL: String {
        publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    var configuration: GalleryConfiguration {
        var configuration = GalleryConfiguration(publicURL: resolvedPublicURL)
        configuration.maximumUploadBytes = maxUploadBytes
        configuration.pageSize = pageSize
        configuration.siteTitle = siteTitle
        return configuration
    }

    func makeLogger(_ label: String = "gallery") -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        return logger
    }

    /// Credentials from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`, or nil to use the bucket's own pair.
    var environmentCredentials: Credentials? {
        let environment = ProcessInfo.processInfo.environment
        guard let id = environment["AWS_ACCESS_KEY_ID"], !id.isEmpty,
            let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty
        else { return nil }
        return Credentials(
            accessKeyID: id, secretAccessKey: secret,
            sessionToken: environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 })
    }

    func openLocalBucket() throws -> LocalBucket {
        try LocalBucket(
            root: URL(fileURLWithPath: local), postURL: resolvedPublicURL + "/bucket",
            credentials: environmentCredentials)
    }

    func openQueue() throws -> FileJobQueue {
        try FileJobQueue(directory: URL(fileURLWithPath: jobs), logger: makeLogger("gallery.queue"))
    }

    /// The whole gallery over the local bucket.
    func openGallery() async throws -> (Gallery, LocalBucket) {
        let bucket = try openLocalBucket()
        let theme: Theme
        do {
            theme = try await Theme(directory: URL(fileURLWithPath: site))
        } catch {
            throw ValidationError("\(error) (pass --site with the theme folder).")
        }
        let gallery = Gallery(
            configuration: configuration, store: bucket, queue: try openQueue(), theme: theme, logger: makeLogger())
        return (gallery, bucket)
    }
}
