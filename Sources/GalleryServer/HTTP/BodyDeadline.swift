import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// How long a request's body may take to arrive, by request: a slow or hostile client cannot hold a
/// request open for ever by trickling bytes (the idle timeout only notices silence). Pure.
struct BodyDeadlines: Sendable {
    /// For forms and events.
    var forms: Duration
    /// For `POST` to `uploadPath` (the local bucket's uploads); nil: no such route.
    var uploads: Duration
    var uploadPath: String?

    /// The deadline for `request`'s body, counted from its head; nil for requests without a body.
    func limit(for request: HTTPRequest) -> Duration? {
        guard request.method == .post || request.method == .put else { return nil }
        if let uploadPath, let path = request.path,
            path == uploadPath || path.hasPrefix(uploadPath + "?")
        {
            return uploads
        }
        return forms
    }
}

/// Raised into a request's body when its deadline passes; `BodyReading` answers it with 408.
struct BodyDeadlinePassed: Error, Sendable {
    let limit: Duration
}

/// Enforces `BodyDeadlines` in the channel pipeline: a timer on the event loop from a request's head
/// to its end, which, when it fires, fails the body the route is reading. One timer per request on
/// the connection's own loop: no task or thread of its own.
final class BodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let deadlines: BodyDeadlines
    private var timer: Scheduled<Void>?

    init(_ deadlines: BodyDeadlines) { self.deadlines = deadlines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            timer?.cancel()
            timer = nil
            if let limit = deadlines.limit(for: request) {
                let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
                timer = context.eventLoop.scheduleTask(in: .init(limit)) {
                    bound.value.fireErrorCaught(BodyDeadlinePassed(limit: limit))
                }
            }
        case .body:
            break
        case .end:
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
