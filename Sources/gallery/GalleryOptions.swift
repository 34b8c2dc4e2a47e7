import ArgumentParser
import AsyncHTTPClient
import Foundation
import GalleryKit
import GalleryS3
import ImageProcessing
import Logging
import SigV4

/// Options every command shares: where the bucket, queue and theme are, and how visitors reach the service.
struct GalleryOptions: ParsableArguments {
    @Option(help: "The folder of the embedded local bucket.")
    var local: String = "./bucket"

    @Option(help: "The job queue's folder.")
    var jobs: String = "./jobs"

    @Option(help: "Run against this S3 bucket instead of the embedded local bucket.")
    var bucket: String?

    @Option(help: "The bucket's region (default: AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1).")
    var region: String?

    @Option(help: "An S3-compatible endpoint URL (default: AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS).")
    var endpoint: String?

    @Flag(help: "Address the bucket in the path (default for custom endpoints) instead of the host name.")
    var pathStyle = false

    @Option(help: "Where visitors see the gallery (default: the bucket's website, or the local service).")
    var galleryURL: String?

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

    @Option(help: "Photos in each feed (Atom and JSON Feed), newest first.")
    var feedLength: Int = 30

    @Option(help: "Most jobs waiting for their upload; more presigns get 503 with Retry-After.")
    var maxPending: Int = 10_000

    @Option(help: "The gallery's name, shown on every page.")
    var siteTitle: String = "BucketGallery"

    @Option(
        help: "The largest image decoded, in megapixels (width × height from its header); larger uploads are refused.")
    var maxMegapixels: Int = 100

    @Option(
        help: ArgumentHelp(
            "Widths of the WebP renditions, in pixels, comma-separated.",
            discussion: "After a change, `gallery regenerate --renditions` makes every photo's renditions again."))
    var renditionWidths: String = "320,640,1280,2048"

    @Flag(help: "Also publish a full-size copy of each upload, stripped of its metadata, for a download link.")
    var publicOriginals = false

    @Option(help: "Record reads in flight at once during a full rebuild.")
    var concurrency: Int = 16

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"

    func validate() throws {
        guard (1...65_535).contains(port) else { throw ValidationError("--port must be 1 to 65535.") }
        guard maxUploadBytes >= 1 else { throw ValidationError("--max-upload-bytes must be at least 1.") }
        guard (1...1000).contains(pageSize) else { throw ValidationError("--page-size must be 1 to 1000.") }
        guard (1...1000).contains(feedLength) else { throw ValidationError("--feed-length must be 1 to 1000.") }
        guard maxPending >= 1 else { throw ValidationError("--max-pending must be at least 1.") }
        guard parsedRenditionWidths != nil else {
            throw ValidationError("--rendition-widths takes 1 to 8 widths from 16 to 8192, like 320,640,1280,2048.")
        }
        guard (1...10_000).contains(maxMegapixels) else {
            throw ValidationError("--max-megapixels must be 1 to 10000.")
        }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1 to 256.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("Unknown --log-level '\(logLevel)'.")
        }
        for (name, value) in [("--public-url", publicURL), ("--gallery-url", galleryURL), ("--endpoint", endpoint)] {
            guard let value else { continue }
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("\(name) must be an http(s) URL, like https://gallery.example.com.")
            }
        }
        if let bucket, !(3...63).contains(bucket.count) {
            throw ValidationError("--bucket must be a bucket name of 3 to 63 characters.")
        }
    }

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    /// The rendition widths, ascending without repeats; nil when the option is not a valid list.
    var parsedRenditionWidths: [Int]? {
        let widths = renditionWidths.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...8).contains(widths.count), widths.allSatisfy({ $0.map { (16...8192).contains($0) } ?? false })
        else { return nil }
        return Array(Set(widths.compactMap { $0 })).sorted()
    }

    /// The S3 endpoint from the flags and the AWS environment, nil in the embedded mode.
    var s3Endpoint: S3Endpoint? {
        guard let bucket else { return nil }
        let env = environment
        let region =
            region ?? env["AWS_REGION"] ?? env["AWS_DEFAULT_REGION"]
            ?? SharedAWSConfig.region(environment: env) ?? "us-east-1"
        let custom = (endpoint ?? env["AWS_ENDPOINT_URL_S3"] ?? env["AWS_ENDPOINT_URL"]).flatMap(URL.init(string:))
        return S3Endpoint(bucket: bucket, region: region, customEndpoint: custom, pathStyle: pathStyle ? true : nil)
    }

    var resolvedPublicURL: String {
        publicURL ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(port)"
    }

    var configuration: GalleryConfiguration {
        var configuration = GalleryConfiguration(
            publicURL: resolvedPublicURL, galleryURL: galleryURL ?? s3Endpoint.map { $0.websiteURL })
        if galleryURL == nil, let endpoint = s3Endpoint, endpoint.customEndpoint != nil {
            // A plain S3-compatible endpoint serves no index document for "/": name it.
            configuration.landingURL = configuration.galleryURL + "/index.html"
        }
        if let endpoint = s3Endpoint { configuration.uploadFormURL = endpoint.postURL }
        configuration.maximumUploadBytes = maxUploadBytes
        configuration.pageSize = pageSize
        configuration.feedLength = feedLength
        configuration.maximumPendingJobs = maxPending
        configuration.siteTitle = siteTitle
        configuration.renditions.maximumPixels = maxMegapixels * 1_000_000
        configuration.renditions.publicOriginals = publicOriginals
        configuration.renditions.widths = parsedRenditionWidths ?? configuration.renditions.widths
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
        try FileJobQueue(
            directory: URL(fileURLWithPath: jobs), capacity: maxPending, logger: makeLogger("gallery.queue"))
    }

    /// The store: S3 with `--bucket`, else the local bucket (returned too, for its routes).
    func openStore() throws -> (any ObjectStore, LocalBucket?) {
        guard let endpoint = s3Endpoint else {
            let bucket = try openLocalBucket()
            return (bucket, bucket)
        }
        let credentials = CredentialChain(
            environment: environment, client: HTTPClient.shared, logger: makeLogger("gallery.credentials"))
        let client = S3Client(
            endpoint: endpoint, http: .s3, credentials: credentials, logger: makeLogger("gallery.s3"))
        return (S3Store(client: client), nil)
    }

    /// The whole gallery over the chosen store, its metrics going to `metrics`; throws
    /// `ImageProcessingError.libraryUnavailable` (one sentence saying what to install) without libvips.
    func openGallery(metrics: GalleryMetrics = .none, review: Bool = false) async throws -> (Gallery, LocalBucket?) {
        let (store, localBucket) = try openStore()
        let theme: Theme
        do {
            theme = try await Theme(directory: URL(fileURLWithPath: site))
        } catch {
            throw ValidationError("\(error) (pass --site with the theme folder).")
        }
        var configuration = self.configuration
        configuration.reviewUploads = review
        let gallery = try Gallery(
            configuration: configuration, store: store, queue: try openQueue(), theme: theme, logger: makeLogger(),
            metrics: metrics, concurrency: concurrency,
            manifestCache: URL(fileURLWithPath: jobs).appendingPathComponent("manifest-cache"))
        return (gallery, localBucket)
    }
}
