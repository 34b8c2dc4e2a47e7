public import Foundation
import ImageProcessing
public import Logging

/// The gallery's parts wired together over one store and one queue, in the order an upload passes
/// through them:
///
/// 1. presign: `UploadPresigner` signs the form and queues the title (`JobQueue`, `FileJobQueue`);
/// 2. land: the upload reaches the store (`ObjectStore`; the local bucket checks it as S3 would)
///    and a signal names its key (`EventDelivery`, `/uploaded`, the poller);
/// 3. publish: `Publisher` makes the renditions and hands the photo to its `PageUpdates`;
/// 4. render: `RebuildScheduler` (those page updates) coalesces requests into passes of its
///    `PageBuilder`, the `Generator`, which renders with `PageRenderer`;
/// 5. write: the `Generator` writes the pages and `ManifestStore` the manifest, into the store.
///
/// The `Curator` carries out operators' actions on the same parts.
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
        let scheduler = RebuildScheduler(builder: generator, logger: logger, metrics: metrics, clock: clock)
        self.scheduler = scheduler
        self.publisher = Publisher(
            store: store, queue: queue, configuration: configuration, maker: maker, pages: scheduler, logger: logger,
            metrics: metrics)
        self.curator = Curator(
            store: store, queue: queue, generator: generator, publisher: publisher, configuration: configuration,
            logger: logger)
    }
}
