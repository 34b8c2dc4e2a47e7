import ArgumentParser
import AsyncHTTPClient
import Foundation
import GalleryKit
import GalleryS3
import GalleryServer
import Hummingbird
import Logging
import Prometheus
import SNSVerification
import SigV4

/// `gallery serve`: the HTTP service with the embedded bucket.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the service: title form, presigned uploads, the local bucket, the tagger and the generator.")

    @OptionGroup var options: GalleryOptions

    @Option(help: "Seconds /uploaded waits for the rebuild that shows the new photo.")
    var rebuildWait: Int = 10

    @Option(help: "Seconds between checks of pending jobs for landed uploads (0 turns the poller off).")
    var pollInterval: Int = 5

    @Option(help: "Token that /events and /regenerate require (default: GALLERY_EVENTS_TOKEN; unset turns them off).")
    var eventsToken: String?

    @Option(help: "POST /upload requests per minute per client address (0 turns the limit off).")
    var rateLimit: Int = 60

    @Option(
        help: "Presigned uploads not yet landed per client address (IPv6: per /64); more get 429 (0 turns the cap off)."
    )
    var maxPendingPerClient: Int = 50

    @Option(help: "Address of a reverse proxy whose X-Forwarded-For names the client (repeatable).")
    var trustedProxy: [String] = []

    @Option(
        help: ArgumentHelp(
            "Fetch SNS signing certificates through this endpoint (tests: a moto server).",
            discussion: "The certificate URL in each message must still be https on sns.<region>.amazonaws.com."))
    var snsCertificateEndpoint: String?

    @Option(
        help: ArgumentHelp(
            "An SNS topic ARN whose notifications /events accepts (repeatable).",
            discussion: "Topics `gallery setup --notify-url` created are accepted without it."))
    var snsTopicArn: [String] = []

    @Option(help: "Seconds before an idle connection is closed.")
    var idleTimeout: Int = 30

    @Option(
        help: ArgumentHelp(
            "MiB of local bucket uploads received at once; more get 503 with Retry-After.",
            discussion: "Each upload counts its declared length (the most it may send when it declares none)."))
    var uploadBudget: Int = 256

    @Flag(help: "Review before publishing: uploads are processed but published only once approved.")
    var review = false

    @Option(help: "Who may upload: open (anyone) or invite (holders of a `gallery invite` link).")
    var uploads: String = UploadAccess.open.rawValue

    @Option(
        help: ArgumentHelp(
            "Token the review page (/review) asks for (default: GALLERY_ADMIN_TOKEN; unset turns the page off).",
            discussion: "Separate from the events token. Use a long random one: it signs the page's sessions."))
    var adminToken: String?

    @OptionGroup var secret: Invitation.Secret

    func validate() throws {
        guard maxPendingPerClient >= 0 else {
            throw ValidationError("--max-pending-per-client must be 0 (off) or more.")
        }
        guard rateLimit >= 0 else { throw ValidationError("--rate-limit must be 0 (off) or more.") }
        guard UploadAccess(rawValue: uploads) != nil else {
            throw ValidationError("--uploads takes open or invite.")
        }
        if let adminToken, !adminToken.isEmpty, adminToken.utf8.count < 16 {
            throw ValidationError("--admin-token must be at least 16 characters.")
        }
        guard idleTimeout >= 1 else { throw ValidationError("--idle-timeout must be at least 1 second.") }
        // At least one largest upload with its form (else every upload would get 503), at most 1 TiB.
        let smallest = (options.maxUploadBytes + 64 * 1024 + (1 << 20) - 1) >> 20
        guard (smallest...(1 << 20)).contains(uploadBudget) else {
            throw ValidationError(
                "--upload-budget must be \(smallest) MiB (one largest upload and its form) to 1048576 MiB.")
        }
    }

    func run() async throws {
        // Every request's logger gets a request id: keep that from formatting metadata per request.
        LoggingSystem.bootstrap { label in DeferredMetadataLogHandler(StreamLogHandler.standardError(label: label)) }
        let registry = PrometheusCollectorRegistry()
        let metrics = GalleryMetrics(factory: PrometheusMetricsFactory(registry: registry))
        let (gallery, localBucket) = try await options.openGallery(metrics: metrics, review: review)
        var settings = ServerSettings(host: options.host, port: options.port)
        settings.metricsRegistry = registry
        settings.rebuildWait = .seconds(rebuildWait)
        settings.rateLimit = rateLimit
        settings.maximumPendingPerClient = maxPendingPerClient
        settings.snsTopicARNs = Set(snsTopicArn)
        settings.trustedProxies = Set(trustedProxy)
        settings.idleTimeout = .seconds(idleTimeout)
        settings.uploadBudgetBytes = uploadBudget * 1024 * 1024
        settings.pollInterval = pollInterval > 0 ? .seconds(pollInterval) : nil
        settings.eventsToken = (eventsToken ?? ProcessInfo.processInfo.environment["GALLERY_EVENTS_TOKEN"])
            .flatMap { $0.isEmpty ? nil : $0 }
        settings.adminToken = (adminToken ?? ProcessInfo.processInfo.environment["GALLERY_ADMIN_TOKEN"])
            .flatMap { $0.isEmpty ? nil : $0 }
        settings.uploadAccess = UploadAccess(rawValue: uploads) ?? .open
        settings.linkSigner = LinkSigner(secret: try await Invitation.secret(secret.inviteSecret, store: gallery.store))
        settings.confirmSubscription = { url in try await SNSSubscription.confirm(url, client: HTTPClient.shared) }
        let certificateEndpoint = snsCertificateEndpoint
        settings.snsVerifier = SNSSignatureVerifier { url in
            try await SNSSubscription.fetchCertificate(url, client: HTTPClient.shared, through: certificateEndpoint)
        }
        let logger = options.makeLogger()
        var metadata: Logger.Metadata = [
            "service": "\(options.resolvedPublicURL)/", "gallery": "\(gallery.configuration.landingURL)",
            "jobs": "\(options.jobs)", "events": "\(settings.eventsToken == nil ? "off" : "on")",
            "review": "\(settings.adminToken == nil ? "off" : "on")\(review ? ", uploads held for review" : "")",
            "uploads": "\(uploads)",
        ]
        if let localBucket {
            metadata["bucket"] = "\(localBucket.root.path)"
            metadata["accessKeyID"] = "\(localBucket.credentials.accessKeyID)"
        } else {
            metadata["bucket"] = "s3://\(gallery.store.bucket)"
        }
        logger.notice("BucketGallery is starting", metadata: metadata)
        let app = buildApplication(gallery: gallery, localBucket: localBucket, settings: settings, logger: logger)
        try await app.runService()
    }
}
