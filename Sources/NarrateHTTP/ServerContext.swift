import Hummingbird
import NIOCore

/// The request context of the check-in service: Hummingbird's core storage, plus the channel the
/// request came in on (peer credentials on the local socket) and the client's address (rate
/// limits).
public struct ServerContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let channel: any NIOCore.Channel
    public let remoteAddress: String?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }
}
