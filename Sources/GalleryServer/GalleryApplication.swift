import Foundation
public import GalleryKit
public import Hummingbird
public import Logging
import NIOCore
public import Prometheus
public import SNSVerification
import ServiceLifecycle

/// How the HTTP service runs: where it listens and how long it waits.
public struct ServerSettings: Sendable {
    public var host: String = "127.0.0.1"
    public var port: Int = 8080
    /// How long `/uploaded` holds the browser while the gallery is rebuilt with its photo.
    public var rebuildWait: Duration = .seconds(10)
    /// How often expired jobs are swept.
    public var sweepInterval: Duration = .seconds(60)
    /// Check the gallery at start: trust a current manifest, else rebuild it in full.
    public var rebuildAtStart = true
    /// How often pending jobs are checked for landed uploads; nil turns the poller off.
    public var pollInterval: Duration? = .seconds(5)
    /// Where `GET /metrics` reads from (the registry behind the gallery's metrics factory); nil: no route.
    public var metricsRegistry: PrometheusCollectorRegistry?
    /// The token `/events` and `/regenerate` require; nil turns both routes off.
    public var eventsToken: String?
    /// Fetches an SNS SubscribeURL to confirm a subscription (only trusted SNS URLs are passed).
    public var confirmSubscription: @Sendable (String) async throws -> Void = { _ in
        throw ServiceError(status: .notImplemented, message: "This service cannot confirm SNS subscriptions.")
    }

    /// `POST /upload` requests per minute per client address; 0 turns the limit off.
    public var rateLimit: Int = 60
    /// Presigned uploads not yet landed per client (IPv4 address or IPv6 /64); 0 turns the cap off.
    public var maximumPendingPerClient: Int = 50
    /// Reverse proxies (their addresses) whose `X-Forwarded-For` header names the client.
    public var trustedProxies: Set<String> = []
    /// Connections with no traffic for this long are closed.
    public var idleTimeout: Duration = .seconds(30)
    /// SNS topics `/events` accepts besides those `gallery setup` recorded in the bucket.
    public var snsTopicARNs: Set<String> = []
    /// Checks SNS message signatures; the default one cannot fetch certificates (and so refuses SNS
    /// messages) until the caller gives it an HTTPS client, as `gallery serve` does.
    public var snsVerifier = SNSSignatureVerifier { _ in
        throw ServiceError(status: .notImplemented, message: "This service cannot fetch SNS certificates.")
    }
    /// How long a title form or an event body may take to arrive in full.
    public var formReadTimeout: Duration = .seconds(10)
    /// How long a local bucket upload may take to arrive in full.
    public var uploadReadTimeout: Duration = .seconds(300)
    /// The bytes of local bucket uploads received at once (a quarter of it, or one largest upload, per
    /// client); an upload beyond it gets 503 and Retry-After.
    public var uploadBudgetBytes: Int = 256 * 1024 * 1024
    /// The largest request header block (all fields together) accepted; larger ones get 400.
    public var maximumHeaderBytes: Int = 16 * 1024
    /// The token the review page (`/review`) asks for; nil turns the page off.
    public var adminToken: String?
    /// Who may ask for an upload form: anyone, or holders of an invite.
    public var uploadAccess: UploadAccess = .open
    /// Signs and checks invites and uploaders' manage links; nil: no manage links, and invites cannot
    /// be checked (so `uploadAccess` must be `.open`).
    public var linkSigner: LinkSigner?

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Builds the service: routes over `gallery`, plus the local bucket's routes when it is the store.
/// `main` and the tests build it the same way.
public func buildApplication(
    gallery: Gallery, localBucket: LocalBucket?, settings: ServerSettings, logger: Logger = Logger(label: "gallery")
) -> some ApplicationProtocol {
    let router = Router(context: GalleryRequestContext.self)
    router.add(middleware: SecurityHeaders())
    // Outside the error mapping, so a refusal (429, 422, …) reaches the page's script with its reason.
    if let origin = gallery.configuration.crossOrigin {
        router.add(
            middleware: CrossOriginCalls(
                origin: origin, paths: Set(["/upload", "/uploaded"] + (localBucket == nil ? [] : ["/bucket"]))))
    }
    router.add(middleware: ErrorMapping())
    router.add(middleware: BodylessMethods())
    router.get("/healthz") { _, _ in
        // Degraded, not down: presigning and uploads still work while the pages are not updated.
        // The error itself goes to the log, not to whoever asks.
        guard let since = await gallery.scheduler.failingSince else { return "ok\n" }
        return "degraded: rebuilds have failed since \(since.formatted(.iso8601)); the pages are not being updated\n"
    }
    if let registry = settings.metricsRegistry {
        router.get("/metrics") { _, _ in
            // Pending jobs are counted when scraped, from the queue's log: always current.
            gallery.metrics.pendingJobs(try await gallery.queue.pending().count)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }
    let inviteGate = settings.linkSigner.map {
        InviteGate(
            signer: $0, book: InviteBook(store: gallery.store, clock: gallery.clock), renderer: gallery.renderer,
            clock: gallery.clock)
    }
    precondition(
        settings.uploadAccess == .open || inviteGate != nil, "invite-only uploads need a signer to check invites")
    PresignRoutes(
        gallery: gallery,
        rateLimiter: settings.rateLimit > 0 ? RateLimiter(perMinute: settings.rateLimit, clock: gallery.clock) : nil,
        pendingLimiter: settings.maximumPendingPerClient > 0
            ? PendingJobLimiter(
                limit: settings.maximumPendingPerClient, queue: gallery.queue,
                jobLifetime: (gallery.configuration.policyLifetime + gallery.configuration.jobGracePeriod).seconds,
                clock: gallery.clock) : nil,
        trustedProxies: settings.trustedProxies,
        inviteGate: settings.uploadAccess == .invite ? inviteGate : nil,
        linkSigner: settings.linkSigner
    ).add(to: router)
    if let inviteGate { InviteRoutes(gallery: gallery, gate: inviteGate).add(to: router) }
    if let signer = settings.linkSigner { ManageRoutes(gallery: gallery, signer: signer).add(to: router) }
    if let token = settings.adminToken, !token.isEmpty {
        ReviewRoutes(
            gallery: gallery, session: AdminSession(token: token),
            signInLimiter: RateLimiter(perMinute: 10, clock: gallery.clock, noun: "sign-in attempts"),
            trustedProxies: settings.trustedProxies
        ).add(to: router)
    }
    UploadedRoutes(gallery: gallery, rebuildWait: settings.rebuildWait).add(to: router)

    let signals = UploadSignals(publisher: gallery.publisher, logger: logger, clock: gallery.clock)
    if let localBucket {
        LocalBucketRoutes(
            bucket: localBucket, maximumUploadBytes: gallery.configuration.maximumUploadBytes,
            budget: UploadBudget(
                capacity: settings.uploadBudgetBytes,
                perClient: max(
                    gallery.configuration.maximumUploadBytes + LocalBucketRoutes<GalleryRequestContext>.formOverhead,
                    settings.uploadBudgetBytes / 4)),
            trustedProxies: settings.trustedProxies,
            isPublic: { [configuration = gallery.configuration] key in configuration.isPublic(key) },
            clock: gallery.clock,
            objectCreated: { key in signals.objectCreated(key) }
        ).add(to: router)
    }

    if let token = settings.eventsToken, !token.isEmpty {
        EventRoutes(
            gallery: gallery, token: token, signals: signals,
            confirmSubscription: settings.confirmSubscription, snsVerifier: settings.snsVerifier,
            snsGate: SNSMessageGate(
                configuredTopics: settings.snsTopicARNs, store: gallery.store,
                topicsKey: gallery.configuration.notificationTopicsKey, clock: gallery.clock)
        ).add(to: router)
    }

    let deadlines = BodyDeadlines(
        forms: settings.formReadTimeout, uploads: settings.uploadReadTimeout,
        uploadPath: localBucket == nil ? nil : "/bucket")
    var app = Application(
        router: router,
        server: .http1(
            configuration: .init(
                additionalChannelHandlers: [BodyDeadlineHandler(deadlines), EarlyAnswerCloser()],
                idleTimeout: TimeAmount(settings.idleTimeout),
                httpDecoderConfiguration: .init(
                    maxHeaderFieldSize: settings.maximumHeaderBytes, maxHeaderListSize: settings.maximumHeaderBytes,
                    maxHeaderFieldCount: 100))),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "BucketGallery"),
        logger: logger)
    app.addServices(
        RebuildService(scheduler: gallery.scheduler, rebuildAtStart: settings.rebuildAtStart),
        signals,
        SweepService(queue: gallery.queue, interval: settings.sweepInterval, logger: logger))
    if let interval = settings.pollInterval {
        app.addServices(
            PendingUploadPoller(
                queue: gallery.queue, publisher: gallery.publisher, interval: interval, clock: gallery.clock,
                logger: logger, arrivals: signals.arrivals, metrics: gallery.metrics))
    }
    return app
}
