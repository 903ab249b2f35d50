import Hummingbird
import NIOCore

/// The request context of every route: Hummingbird's basic one plus the peer's address, which the
/// desk's login throttle counts failures by.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
