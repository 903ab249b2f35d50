import Foundation
import Hummingbird
import KakehashiCache
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiStore
import NIOCore

/// Built tiles kept in memory within a budget of bytes, and the data version that names them. Each is kept as
/// the body and headers its responses send, so a cached tile is shared, never copied or described
/// again.
final class TileCache: @unchecked Sendable {
    struct Key: Hashable {
        let layer: String
        let z: Int32, x: Int32, y: Int32
    }

    /// A tile as sent: its bytes and the response headers (ETag, Cache-Control, Vary, type, encoding).
    struct Served {
        let body: ByteBuffer
        let headers: HTTPFields
    }

    let version: String
    private let tiles: ByteBudgetCache<Key, Entry>
    /// The default budget: about 20,000 typical tiles.
    static let defaultBudget = 128 << 20

    private struct Entry {
        var plain: Served
        var gzip: Served?
        let built: Date?

        /// The bodies and about what the headers and the entry take.
        var bytes: Int { 512 + plain.body.readableBytes + (gzip?.body.readableBytes ?? 0) }
    }

    init(version: String, budget: Int = TileCache.defaultBudget) {
        self.version = version
        tiles = ByteBudgetCache(budget: budget)
    }

    /// What the cache holds.
    var usage: CacheUsage { tiles.usage }

    /// ETag, Cache-Control and Vary of a tile: what a 304 repeats, known without the tile. `layer`
    /// is the layer with its coverage variant (`meshes|…`); `lifetime` is set for coverage variants.
    func validatorHeaders(layer: String, id: TileID, gzip: Bool, lifetime: TimeInterval?) -> HTTPFields {
        var headers = HTTPFields()
        headers[.eTag] = "\"\(version)-\(layer)-\(id.z)-\(id.x)-\(id.y)\(gzip ? "-gzip" : "")\""
        headers[.vary] = "Accept-Encoding"
        // Coverage variants follow on-call reports: they are rebuilt after `lifetime`.
        headers[.cacheControl] = "public, max-age=\(lifetime.map { Int($0) } ?? 86_400)"
        return headers
    }

    /// The cached tile, if it is cached and current (nothing is built).
    func cached(layer: String, id: TileID, gzip: Bool, lifetime: TimeInterval? = nil) -> Served? {
        guard let entry = tiles.value(Key(layer: layer, z: Int32(id.z), x: Int32(id.x), y: Int32(id.y))) else { return nil }
        if let lifetime, let built = entry.built, Date().timeIntervalSince(built) >= lifetime { return nil }
        return gzip ? entry.gzip : entry.plain
    }

    /// The cached tile, or a new one, as is or gzip-compressed; `lifetime` bounds how long a tile
    /// is kept (nil: as long as the data version). The gzip copy is made on first demand.
    func tile(layer: String, id: TileID, gzip: Bool = false, lifetime: TimeInterval? = nil, build: () throws -> Data) throws -> Served {
        let key = Key(layer: layer, z: Int32(id.z), x: Int32(id.x), y: Int32(id.y))
        var entry = tiles.value(key)
        if let e = entry, let lifetime, let built = e.built, Date().timeIntervalSince(built) >= lifetime { entry = nil }
        if let entry, !gzip { return entry.plain }
        if let compressed = entry?.gzip { return compressed }
        func served(_ body: ByteBuffer, gzip: Bool) -> Served {
            var headers = validatorHeaders(layer: layer, id: id, gzip: gzip, lifetime: lifetime)
            headers[.contentType] = "application/vnd.mapbox-vector-tile"
            if gzip { headers[.contentEncoding] = "gzip" }
            return Served(body: body, headers: headers)
        }
        var fresh: Entry
        if let entry { fresh = entry } else { fresh = Entry(plain: served(ByteBuffer(bytes: try build()), gzip: false), built: lifetime == nil ? nil : Date()) }
        if gzip { fresh.gzip = served(try TileCompression.gzip(fresh.plain.body), gzip: true) }
        tiles.store(fresh, bytes: fresh.bytes, for: key)
        return gzip ? fresh.gzip! : fresh.plain
    }
}
