import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Ends a connection whose request was answered before its body arrived (a refused upload, a
/// budget full): Hummingbird would otherwise read the rest of the body, up to 20 MiB at full speed,
/// for as long as the body deadline allows. Once such an answer is written, the connection is
/// closed after `linger`, time for the client to read the answer (closing at once, with its body
/// unread, could reset the connection before the answer is read).
final class EarlyAnswerCloser: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let linger: TimeAmount
    /// A request's head was read and its end not yet.
    private var bodyArriving = false

    init(linger: TimeAmount = .seconds(2)) { self.linger = linger }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: bodyArriving = true
        case .body: break
        case .end: bodyArriving = false
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data), bodyArriving else {
            context.write(data, promise: promise)
            return
        }
        let written = promise ?? context.eventLoop.makePromise()
        context.write(data, promise: written)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        let linger = self.linger
        written.futureResult.whenSuccess {
            bound.value.eventLoop.scheduleTask(in: linger) { bound.value.close(promise: nil) }
        }
    }
}
