import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Gives the 400 that Hummingbird writes for a request it cannot parse (a header without a colon,
/// a bad `Content-Length`) the Japanese problem body every other error has. Hummingbird answers such
/// requests before routing, so no middleware sees them; its answer is recognised on its way out: a
/// 400 with `Connection: close` and no body, which no route writes.
final class ParserErrorProblem: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    static let body: ByteBuffer = {
        let problem = Problem(.badRequest, "リクエストを読み取れません", "HTTP リクエストの形式が正しくありません（要求行やヘッダーの書き方を確かめてください）")
        return ByteBuffer(data: problem.json)
    }()

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard case .head(var head) = unwrapOutboundIn(data), head.status == .badRequest,
              head.headerFields[.contentLength] == "0", head.headerFields[.connection] == "close", head.headerFields[.contentType] == nil
        else {
            context.write(data, promise: promise)
            return
        }
        head.headerFields[.contentType] = "application/problem+json; charset=utf-8"
        head.headerFields[.contentLength] = String(Self.body.readableBytes)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(Self.body)), promise: promise)
    }
}
