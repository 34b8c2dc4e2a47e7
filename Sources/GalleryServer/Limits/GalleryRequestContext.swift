public import Hummingbird
public import NIOCore

/// The request context of the service's routes: Hummingbird's basics plus the peer's address,
/// which the per-client rate limit keys on.
public struct GalleryRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer (the client, or a reverse proxy in front of the service); nil in in-process tests.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}
