import HTTPTypes
import NIOCore
import NIOHTTPTypes

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
