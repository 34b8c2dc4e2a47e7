import GalleryKit
import Logging
import Synchronization
import Testing

/// Collects what a `StreamLogHandler` writes.
private final class Lines: TextOutputStream, Sendable {
    private let text = Mutex("")
    func write(_ string: String) { text.withLock { $0 += string } }
    var written: String { text.withLock { $0 } }
}

struct DeferredMetadataLogHandlerTests {
    /// The same logger calls through a plain `StreamLogHandler` and through the wrapper write the
    /// same lines (after the timestamp), for metadata set on the logger, per message, and both.
    @Test func writesWhatTheStreamHandlerWouldHave() {
        let plainLines = Lines()
        let deferredLines = Lines()
        var plain = Logger(label: "gallery.test") {
            StreamLogHandler(label: $0, stream: plainLines, metadataProvider: nil)
        }
        var deferred = Logger(label: "gallery.test") {
            DeferredMetadataLogHandler(StreamLogHandler(label: $0, stream: deferredLines, metadataProvider: nil))
        }
        for index in 0..<2 {
            var logger = index == 0 ? plain : deferred
            logger.logLevel = .info
            logger.debug("below the level", metadata: ["x": "1"])
            logger.info("no metadata")
            logger[metadataKey: "hb.request.id"] = "abc"
            logger[metadataKey: "key"] = "photos/a b"
            logger.info("logger metadata")
            logger.warning("both", metadata: ["key": "override", "extra": "<&>"])
            logger[metadataKey: "key"] = nil
            logger.error("one left")
            if index == 0 { plain = logger } else { deferred = logger }
        }
        func withoutTimestamps(_ text: String) -> [Substring] {
            text.split(separator: "\n").map { $0.split(separator: " ", maxSplits: 1).last ?? "" }
        }
        let expected = withoutTimestamps(plainLines.written)
        #expect(expected.count == 4)
        #expect(expected[2].contains("extra=<&> hb.request.id=abc key=override"))
        #expect(withoutTimestamps(deferredLines.written) == expected)
        #expect(deferred[metadataKey: "hb.request.id"] == "abc")
        #expect(deferred.logLevel == .info)
    }
}
