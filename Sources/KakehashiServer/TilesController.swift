import Foundation
import Hummingbird
import KakehashiCoverage
import KakehashiGeo
import KakehashiLayers
import KakehashiStore

/// Mapbox Vector Tiles at `/tiles/{layer}/{z}/{x}/{y}.mvt` and TileJSON 3.0 at `/tiles/{layer}.json`.
/// Tiles carry an `ETag` and `Cache-Control`; the TileJSON URL carries the data version, so a
/// tile's URL changes when the data behind it does.
struct TilesController<Context: RequestContext> {
    let state: AppState
    let cache: TileCache

    static var layerNames: [String] { ["municipalities", "meshes", "providers", "service_areas"] }

    func register(on router: Router<Context>) {
        router.get("/tiles/{layer}") { request, context in try self.tileJSON(request, context) }
        router.get("/tiles/{layer}/{z}/{x}/{file}") { request, context in try self.tile(request, context) }
    }

    func tileJSON(_ request: Request, _ context: Context) throws -> Response {
        let name = context.parameters.get("layer") ?? ""
        guard name.hasSuffix(".json"), Self.layerNames.contains(String(name.dropLast(5))) else {
            throw Problem(.notFound, "タイルレイヤーが見つかりません", "使えるのは \(Self.layerNames.map { "\($0).json" }.joined(separator: ", ")) です")
        }
        let layer = String(name.dropLast(5))
        let base = "http://" + (request.head.authority ?? "127.0.0.1")
        let fields: [String: String] = switch layer {
        case "municipalities": ["code": "String", "name": "String", "population_total": "Number", "population_75_plus": "Number", "ratio_65_plus": "Number", "ratio_75_plus": "Number", "providers": "Number", "providers_per_1000_75_plus": "Number"]
        case "meshes": ["mesh_code": "String", "population_total": "Number", "population_75_plus": "Number", "estimated": "Boolean"]
        case "providers": ["name": "String", "kind": "String", "services": "String", "official_id": "String"]
        default: ["provider_id": "Number", "service": "String"]
        }
        let credits = state.index.datasetCredits
        let doc: [String: Any] = [
            "tilejson": "3.0.0", "name": layer, "scheme": "xyz", "minzoom": 0, "maxzoom": 16,
            "tiles": ["\(base)/tiles/\(layer)/{z}/{x}/{y}.mvt?v=\(cache.version)"],
            "vector_layers": [["id": layer, "fields": fields, "minzoom": 0, "maxzoom": 16]],
            "bounds": state.index.bounds.map { [$0.minLon, $0.minLat, $0.maxLon, $0.maxLat] } ?? [-180, -85.05, 180, 85.05],
            "attribution": credits.joined(separator: " / "),
        ]
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: doc, options: [.sortedKeys, .withoutEscapingSlashes]))))
    }

    func tile(_ request: Request, _ context: Context) throws -> Response {
        let layer = context.parameters.get("layer") ?? ""
        let file = context.parameters.get("file") ?? ""
        guard Self.layerNames.contains(layer), file.hasSuffix(".mvt"),
              let z = context.parameters.get("z").flatMap(Int.init), let x = context.parameters.get("x").flatMap(Int.init),
              let y = Int(file.dropLast(4)), let id = TileID(z: z, x: x, y: y) else {
            throw Problem(.notFound, "タイルが見つかりません", "/tiles/{layer}/{z}/{x}/{y}.mvt（layer は \(Self.layerNames.joined(separator: ", "))、0 ≤ z ≤ 22）です")
        }
        let etag = "\"\(cache.version)-\(layer)-\(id.z)-\(id.x)-\(id.y)\""
        var headers = HTTPFields()
        headers[.eTag] = etag
        headers[.cacheControl] = "public, max-age=86400"
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        let data = try cache.tile(layer: layer, id: id) { try TileBuilder(state: state).build(layer: layer, tile: id) }
        headers[.contentType] = "application/vnd.mapbox-vector-tile"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Built tiles kept in memory (bounded), and the data version that names them.
final class TileCache: @unchecked Sendable {
    let version: String
    private let lock = NSLock()
    private var tiles: [String: Data] = [:]
    private let capacity = 50_000

    init(version: String) { self.version = version }

    func tile(layer: String, id: TileID, build: () throws -> Data) throws -> Data {
        let key = "\(layer)/\(id)"
        lock.lock()
        if let t = tiles[key] { lock.unlock(); return t }
        lock.unlock()
        let data = try build()
        lock.lock()
        if tiles.count >= capacity { tiles.removeAll(keepingCapacity: true) }
        tiles[key] = data
        lock.unlock()
        return data
    }
}

/// Cuts one tile of a layer from the in-memory layers.
struct TileBuilder {
    let state: AppState

    func build(layer: String, tile: TileID) throws -> Data {
        var encoder = VectorTileEncoder(tile: tile)
        let b = tile.bounds
        // The tile plus its buffer, in degrees.
        let pad = (b.maxLon - b.minLon) * 64 / 4096
        let box = GeoBox(minLon: b.minLon - pad, minLat: b.minLat - pad, maxLon: b.maxLon + pad, maxLat: b.maxLat + pad)
        switch layer {
        case "providers":
            let fc = state.index.providers(in: box, services: [], limit: 100_000)
            encoder.addLayer(name: layer, features: fc.features.map { f in
                .init(id: UInt64(f.id), geometry: .point(GeoPoint(lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1])),
                      properties: f.properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            })
        case "service_areas":
            encoder.addLayer(name: layer, features: state.index.polygonAreas(in: box).map { a in
                .init(id: nil, geometry: a.geometry, properties: [("provider_id", .int(a.provider))] + (a.service.map { [("service", .string($0))] } ?? []))
            })
        default:
            let shapes = try state.layerShapes(layer)
            encoder.addLayer(name: layer, features: shapes.compactMap { s in
                guard s.box.minLon <= box.maxLon, s.box.maxLon >= box.minLon, s.box.minLat <= box.maxLat, s.box.maxLat >= box.minLat else { return nil }
                return .init(id: nil, geometry: s.feature.geometry, properties: s.properties)
            })
        }
        return encoder.data()
    }
}
