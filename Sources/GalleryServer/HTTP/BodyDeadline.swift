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
    /// Every request that announces one has a deadline, whatever its method: a GET with a body
    /// trickled a byte at a time held its connection for as long as the client liked.
    func limit(for request: HTTPRequest) -> Duration? {
        guard Self.announcesBody(request) else { return nil }
        if let uploadPath, let path = request.path,
            path == uploadPath || path.hasPrefix(uploadPath + "?")
        {
            return uploads
        }
        return forms
    }
}

extension BodyDeadlines {
    /// Whether the head says a body follows: a non-zero Content-Length, or a Transfer-Encoding.
    static func announcesBody(_ request: HTTPRequest) -> Bool {
        if request.headerFields[.transferEncoding] != nil { return true }
        guard let length = request.headerFields[.contentLength] else { return false }
        return length != "0"
    }
}

/// Raised into a request's body when its deadline passes; `BodyReading` answers it with 408.
struct BodyDeadlinePassed: Error, Sendable {
    let limit: Duration
}

/// Enforces `BodyDeadlines` in the channel pipeline: from a request's head to its end, and when the
/// deadline passes, fails the body the route is reading. No task or thread of its own.
///
/// The timer is armed only when a read ends with a body still missing: most bodies (a title form)
/// arrive in the same read as their head, and then no timer is made at all. An armed timer keeps
/// the deadline counted from the head.
final class BodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let deadlines: BodyDeadlines
    /// The request whose body is still arriving: its limit and when it runs out.
    private var pending: (limit: Duration, deadline: NIODeadline)?
    private var timer: Scheduled<Void>?

    init(_ deadlines: BodyDeadlines) { self.deadlines = deadlines }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            disarm()
            if let limit = deadlines.limit(for: request) { pending = (limit, .now() + TimeAmount(limit)) }
        case .body:
            break
        case .end:
            disarm()
        }
        context.fireChannelRead(data)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if let pending, timer == nil {
            let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
            timer = context.eventLoop.scheduleTask(deadline: pending.deadline) {
                bound.value.fireErrorCaught(BodyDeadlinePassed(limit: pending.limit))
            }
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        disarm()
    }

    private func disarm() {
        pending = nil
        timer?.cancel()
        timer = nil
    }
}
