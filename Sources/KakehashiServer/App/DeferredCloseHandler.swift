import Logging
import NIOCore

/// Lets a response in flight finish before its connection closes. Hummingbird closes a
/// connection right after handing the last part of a response to NIO (at graceful shutdown, and
/// for `Connection: close`), and NIO drops writes still queued when a channel closes: SIGTERM cut a
/// 17 MB layer after 14.8 MB, logged as 200. This handler, between the HTTP codec and
/// Hummingbird's connection handler, holds such a close until every write reached the socket, or
/// until `grace` has passed (a client that stopped reading), and logs what it cut.
final class DeferredCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = NIOAny
    typealias OutboundOut = NIOAny

    let grace: TimeAmount
    let logger: Logger
    private var writesInFlight = 0
    private var deferredClose: (mode: CloseMode, promise: EventLoopPromise<Void>?)?

    init(grace: TimeAmount, logger: Logger) {
        self.grace = grace
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        writesInFlight += 1
        let written = promise ?? context.eventLoop.makePromise()
        written.futureResult.hop(to: context.eventLoop).assumeIsolatedUnsafeUnchecked().whenComplete { _ in
            self.writesInFlight -= 1
            if self.writesInFlight == 0, let pending = self.deferredClose {
                self.deferredClose = nil
                context.close(mode: pending.mode, promise: pending.promise)
            }
        }
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, writesInFlight > 0, deferredClose == nil else {
            if mode == .all, writesInFlight > 0 {
                // A second close while one waits: the connection's idle timeout gave up on the client.
                logCut()
            }
            context.close(mode: mode, promise: promise)
            return
        }
        deferredClose = (mode, promise)
        context.flush()
        context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: grace) {
            guard let pending = self.deferredClose else { return }
            self.deferredClose = nil
            self.logCut()
            context.close(mode: pending.mode, promise: pending.promise)
        }
    }

    private func logCut() {
        logger.warning("response cut: the client did not read it in time", metadata: ["writes_pending": .stringConvertible(writesInFlight)])
    }
}
