public import Foundation
public import ImageProcessing
public import Logging

/// The gallery's parts wired together over one store and one queue: presign → queue → publisher →
/// generator, and the curator for operators' actions.
public struct Gallery: Sendable {
    public let configuration: GalleryConfiguration
    public let store: any ObjectStore
    public let queue: any JobQueue
    public let clock: any WallClock
    public let renderer: PageRenderer
    public let presigner: UploadPresigner
    public let generator: Generator
    public let scheduler: RebuildScheduler
    public let publisher: Publisher
    public let curator: Curator
    public let metrics: GalleryMetrics

    /// Wires the parts; nothing runs until `scheduler.run()` is started. Throws
    /// `ImageProcessingError.libraryUnavailable` when libvips cannot be opened. `manifestCache`: a
    /// folder for copies of the manifest's parts (`PartFileCache`), shared by the commands of one machine.
    public init(
        configuration: GalleryConfiguration, store: any ObjectStore, queue: any JobQueue, theme: Theme,
        clock: any WallClock = SystemClock(), logger: Logger = Logger(label: "gallery"),
        metrics: GalleryMetrics = .none,
        concurrency: Int = 16, manifestCache: URL? = nil
    ) throws {
        let maker = try RenditionMaker(settings: configuration.renditions)
        var configuration = configuration
        configuration.acceptedFormats = maker.acceptedFormats
        let store = MeteredStore(store, metrics: metrics)
        self.metrics = metrics
        self.configuration = configuration
        self.store = store
        self.queue = queue
        self.clock = clock
        let renderer = PageRenderer(theme: theme, configuration: configuration)
        self.renderer = renderer
        self.presigner = UploadPresigner(
            store: store, queue: queue, configuration: configuration, clock: clock, metrics: metrics)
        let generator = Generator(
            store: store, renderer: renderer, concurrency: concurrency, logger: logger,
            fileCache: manifestCache.map(PartFileCache.init(directory:)))
        self.generator = generator
        let scheduler = RebuildScheduler(logger: logger, metrics: metrics, clock: clock) { work in
            try await generator.run(work)
        }
        self.scheduler = scheduler
        self.publisher = Publisher(
            store: store, queue: queue, configuration: configuration, maker: maker, logger: logger, metrics: metrics,
            isShown: { key in await generator.shows(key: key) }
        ) { photo in
            await scheduler.request(photo: photo)
        }
        self.curator = Curator(
            store: store, queue: queue, generator: generator, publisher: publisher, configuration: configuration,
            logger: logger)
    }
}
