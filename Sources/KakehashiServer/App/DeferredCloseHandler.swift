import Logging
import NIOCore
import NIOHTTPTypes

/// Lets a response in flight finish before its connection closes. Hummingbird closes a
/// connection right after handing the last part of a response to NIO (at graceful shutdown, and
/// for `Connection: close`), and NIO drops writes still queued when a channel closes: SIGTERM cut a
/// 17 MB layer after 14.8 MB, logged as 200. This handler, between the HTTP codec and
/// Hummingbird's connection handler, holds such a close until the response's end reached the
/// socket (writes complete in order, so everything before it did too), or until `grace` has passed
/// (a client that stopped reading), and logs what it cut. Only a response's end is followed: the
/// other parts pass untouched, so a request pays one promise at most.
final class DeferredCloseHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let grace: TimeAmount
    let logger: Logger
    /// The last response's end while it is not yet written.
    private var endInFlight: EventLoopFuture<Void>?
    private var deferredClose: (mode: CloseMode, promise: EventLoopPromise<Void>?)?

    init(grace: TimeAmount, logger: Logger) {
        self.grace = grace
        self.logger = logger
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .end = unwrapOutboundIn(data) else {
            context.write(data, promise: promise)
            return
        }
        let written = promise ?? context.eventLoop.makePromise()
        let end = written.futureResult
        endInFlight = end
        end.hop(to: context.eventLoop).assumeIsolatedUnsafeUnchecked().whenComplete { _ in
            guard self.endInFlight === end else { return }
            self.endInFlight = nil
            if let pending = self.deferredClose {
                self.deferredClose = nil
                context.close(mode: pending.mode, promise: pending.promise)
            }
        }
        context.write(data, promise: written)
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, endInFlight != nil, deferredClose == nil else {
            if mode == .all, endInFlight != nil {
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
        logger.warning("response cut: the client did not read it in time")
    }
}
