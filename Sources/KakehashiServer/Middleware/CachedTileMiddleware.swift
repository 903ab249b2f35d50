import Hummingbird
import KakehashiGeo
import KakehashiLayers

/// Answers `GET /tiles/{layer}/{z}/{x}/{y}.mvt` from the tile cache before routing, when the tile
/// is cached and the request asks nothing the tile route would weigh (no coverage variant, no
/// revalidation). A map view fetches dozens of cached tiles at a time; the router's parameter
/// matching, the query parsing and the headers built again per request cost more than sending a
/// typical tile. Everything else, misses included, goes on to ``TilesController``, which caches
/// what it builds under the same key and headers.
struct CachedTileMiddleware<Context: RequestContext>: RouterMiddleware {
    let state: AppState

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, let (layer, id) = Self.tile(request.uri.path),
              request.headers[.ifNoneMatch] == nil, Self.onlyVersion(request.uri.query),
              let tile = state.data.tiles.cached(layer: layer, id: id, gzip: TileCompression.accepted(by: request.headers[.acceptEncoding]))
        else { return try await next(request, context) }
        return Response(status: .ok, headers: tile.headers, body: .init(byteBuffer: tile.body))
    }

    /// The layer and tile of `/tiles/{layer}/{z}/{x}/{y}.mvt` (plain digits, known layer), else nil.
    static func tile(_ path: String) -> (String, TileID)? {
        var utf8 = path.utf8[...]
        let prefix = "/tiles/".utf8
        guard utf8.starts(with: prefix) else { return nil }
        utf8 = utf8.dropFirst(prefix.count)
        guard let slash = utf8.firstIndex(of: UInt8(ascii: "/")), let layer = String(utf8[..<slash]),
              TileSource.layers.contains(layer) else { return nil }
        utf8 = utf8[utf8.index(after: slash)...]
        func number(until end: UInt8) -> Int? {
            var value = 0, digits = 0
            while let c = utf8.first, c != end {
                guard c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), digits < 8 else { return nil }
                value = value * 10 + Int(c - UInt8(ascii: "0"))
                digits += 1
                utf8 = utf8.dropFirst()
            }
            guard digits > 0, utf8.first == end else { return nil }
            utf8 = utf8.dropFirst()
            return value
        }
        guard let z = number(until: UInt8(ascii: "/")), let x = number(until: UInt8(ascii: "/")),
              let y = number(until: UInt8(ascii: ".")), utf8.elementsEqual("mvt".utf8) else { return nil }
        return TileID(z: z, x: x, y: y).map { (layer, $0) }
    }

    /// No query, or only the `v=` data version that TileJSON puts in tile URLs: anything else (a
    /// coverage variant's `service` and `date`, possibly percent-encoded) is the tile route's to read.
    static func onlyVersion(_ query: String?) -> Bool {
        guard let query, !query.isEmpty else { return true }
        guard query.utf8.starts(with: "v=".utf8) else { return false }
        return query.utf8.dropFirst(2).allSatisfy { c in
            (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z"))
                || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z")) || c == UInt8(ascii: "-") || c == UInt8(ascii: ".") || c == UInt8(ascii: "_")
        }
    }
}
