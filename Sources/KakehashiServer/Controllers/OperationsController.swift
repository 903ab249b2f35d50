import Foundation
import Hummingbird
import KakehashiAddress
import KakehashiGeo
import KakehashiStore

/// `GET /health`, `GET /metrics`, `GET /openapi.json`.
struct OperationsController<Context: RequestContext> {
    let state: AppState

    func register(on router: Router<Context>) {
        router.get("/health") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            // Written once per reading of the data: the load balancer's probe stays as cheap as before.
            let data = state.data
            if !state.writable {
                return Response(status: .serviceUnavailable, headers: headers, body: .init(byteBuffer: data.health(status: "database_missing")))
            }
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: data.healthyBody))
        }
        router.get("/metrics") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: self.state.registry.emitToBuffer())))
        }
        router.get("/openapi.json") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/json; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.json)))
        }
    }
}
