import NIOCore
import NIOHTTPTypes
import Synchronization

/// A whole request — headers and body — must arrive within `limit` of the connection opening or
/// of the previous response, else the connection is closed: a client that sends a byte every few
/// seconds keeps no connection open past it (the idle timeout alone restarts with every byte).
/// The time the service spends answering does not count.
final class RequestDeadline: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limit: TimeAmount
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount) { self.limit = limit }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if timer == nil { arm(context) }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The request is in: the rest is the service's time.
        if case .end = unwrapInboundIn(data) { disarm() }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        // A response sent: the next request on this connection has its own deadline.
        if case .end = unwrapOutboundIn(data) { arm(context) }
        context.write(data, promise: promise)
    }

    func channelInactive(context: ChannelHandlerContext) {
        disarm()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { disarm() }

    private func arm(_ context: ChannelHandlerContext) {
        disarm()
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: limit) { loopBound.value.close(promise: nil) }
    }

    private func disarm() {
        timer?.cancel()
        timer = nil
    }
}

/// At most `limit` open connections from one client address; more are closed at once. The local
/// socket and `trusted_proxies` (through which everyone comes) are not counted.
final class ConnectionCap: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart

    /// Open connections per address, shared by every connection of one server.
    final class Counts: Sendable {
        let open = Mutex<[String: Int]>([:])
    }

    let limit: Int
    let counts: Counts
    let exempt: Set<String>
    private var counted: String?

    init(limit: Int, counts: Counts, exempt: Set<String>) {
        self.limit = limit
        self.counts = counts
        self.exempt = exempt
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        if counted == nil { admit(context) }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    private func admit(_ context: ChannelHandlerContext) {
        guard let address = context.channel.remoteAddress?.ipAddress, !exempt.contains(address) else { return }
        let open = counts.open.withLock { open -> Int in
            open[address, default: 0] += 1
            return open[address]!
        }
        counted = address
        if open > limit { context.close(promise: nil) }
    }

    private func release() {
        guard let address = counted else { return }
        counted = nil
        counts.open.withLock { open in
            open[address, default: 1] -= 1
            if open[address] == 0 { open[address] = nil }
        }
    }
}
