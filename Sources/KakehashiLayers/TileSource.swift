import Foundation
import KakehashiCoverage
import KakehashiGeo
import KakehashiStore

/// Cuts vector tiles of the layers: municipalities and meshes (with their indicator values),
/// providers and drawn service areas. Shared by the tile endpoint and `kakehashi tiles build`.
public final class TileSource: @unchecked Sendable {
    public static let layers = ["municipalities", "meshes", "providers", "service_areas"]
    /// Below this zoom the service-area tiles leave radius circles out (thousands overlap there).
    public static let radiusMinZoom = 9

    struct Shape {
        let geometry: Geometry
        let box: GeoBox
        let properties: [(String, VectorTileEncoder.Value)]
    }

    let database: SpatialDatabase
    let index: CoverageIndex
    let onCall: OnCallBoard
    private let lock = NSLock()
    private var shapes: [String: [Shape]] = [:]

    public init(database: SpatialDatabase, index: CoverageIndex, onCall: OnCallBoard) {
        self.database = database
        self.index = index
        self.onCall = onCall
    }

    /// The municipal or mesh layer prepared for tiling, built on first use.
    func layerShapes(_ layer: String) throws -> [Shape] {
        lock.lock(); defer { lock.unlock() }
        if let s = shapes[layer] { return s }
        let builder = LayerBuilder(database: database, index: index, onCall: onCall)
        let r = LayerRequest(window: .tonight(CoverageWindow.tokyoDate(of: Date())), coverage: false)
        let l = layer == "municipalities" ? try builder.municipalities(r) : try builder.meshes(r)
        let built = l.features.map { f in
            let pts = f.geometry.allPoints
            let box = GeoBox(minLon: pts.map(\.lon).min() ?? 0, minLat: pts.map(\.lat).min() ?? 0,
                             maxLon: pts.map(\.lon).max() ?? 0, maxLat: pts.map(\.lat).max() ?? 0)
            let props: [(String, VectorTileEncoder.Value)] = l.columns.compactMap { c in
                switch f.values[c] ?? .none {
                case .text(let s): (c, .string(s))
                case .number(let d): (c, .double(d))
                case .integer(let i): (c, .int(Int64(i)))
                case .flag(let b): (c, .bool(b))
                case .none: nil
                }
            }
            return Shape(geometry: f.geometry, box: box, properties: props)
        }
        shapes[layer] = built
        return built
    }

    /// The encoded tile of a layer (empty when nothing lies in it).
    public func tile(_ layer: String, _ tile: TileID) throws -> Data {
        var encoder = VectorTileEncoder(tile: tile)
        let b = tile.bounds
        // The tile plus its buffer, in degrees.
        let pad = (b.maxLon - b.minLon) * 64 / 4096
        let box = GeoBox(minLon: b.minLon - pad, minLat: b.minLat - pad, maxLon: b.maxLon + pad, maxLat: b.maxLat + pad)
        switch layer {
        case "providers":
            let fc = index.providers(in: box, services: [], limit: 100_000)
            encoder.addLayer(name: layer, features: fc.features.map { f in
                .init(id: UInt64(f.id), geometry: .point(GeoPoint(lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1])),
                      properties: f.properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            })
        case "service_areas":
            // Drawn polygons at every zoom; declared radius circles from z9, where they can be told apart.
            let polygons = index.polygonAreas(in: box).map { ($0, "polygon") }
            let circles = tile.z >= Self.radiusMinZoom ? index.radiusAreas(in: box).map { ($0, "radius") } : []
            encoder.addLayer(name: layer, features: (polygons + circles).map { a, rule in
                .init(id: nil, geometry: a.geometry,
                      properties: [("provider_id", .int(a.provider)), ("rule", .string(rule))] + (a.service.map { [("service", .string($0))] } ?? []))
            })
        default:
            encoder.addLayer(name: layer, features: try layerShapes(layer).compactMap { s in
                guard s.box.minLon <= box.maxLon, s.box.maxLon >= box.minLon, s.box.minLat <= box.maxLat, s.box.maxLat >= box.minLat else { return nil }
                return .init(id: nil, geometry: s.geometry, properties: s.properties)
            })
        }
        return encoder.data()
    }

    /// The fields of a layer, for TileJSON and MBTiles metadata.
    public static func fields(_ layer: String) -> [String: String] {
        switch layer {
        case "municipalities": ["code": "String", "name": "String", "population_total": "Number", "population_75_plus": "Number", "ratio_65_plus": "Number", "ratio_75_plus": "Number", "providers": "Number", "providers_per_1000_75_plus": "Number"]
        case "meshes": ["mesh_code": "String", "population_total": "Number", "population_75_plus": "Number", "estimated": "Boolean"]
        case "providers": ["name": "String", "kind": "String", "services": "String", "official_id": "String"]
        default: ["provider_id": "Number", "service": "String", "rule": "String"]
        }
    }
}
