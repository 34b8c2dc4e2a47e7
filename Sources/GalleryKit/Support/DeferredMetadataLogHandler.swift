public import Logging

/// A log handler that keeps a logger's own metadata as given and hands it to `base` only with a
/// message that is written.
///
/// `StreamLogHandler` formats its metadata into text each time the metadata is set. Hummingbird sets
/// a request id on every request's logger, so under load that formatting ran once per request, for
/// messages mostly below the log level. Here setting metadata costs a dictionary write; a message
/// gets the same metadata, and the same text, as from `base` holding it itself.
public struct DeferredMetadataLogHandler: LogHandler {
    private var base: any LogHandler
    public var metadata: Logger.Metadata

    /// Wraps `base`; its metadata becomes this handler's, and `base` keeps none of its own.
    public init(_ base: any LogHandler) {
        self.metadata = base.metadata
        self.base = base
        self.base.metadata = [:]
    }

    public var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    public var metadataProvider: Logger.MetadataProvider? {
        get { base.metadataProvider }
        set { base.metadataProvider = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var event = event
        if !metadata.isEmpty {
            // The handler's metadata first, the message's own on top: as `StreamLogHandler` merges them.
            event.metadata = metadata.merging(event.metadata ?? [:]) { _, explicit in explicit }
        }
        base.log(event: event)
    }
}
