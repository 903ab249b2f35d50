import Foundation
import KakehashiCache
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// Cuts vector tiles of the layers: municipalities, meshes and the planning areas (with their
/// indicator values), providers and drawn service areas. Shared by the tile endpoint and
/// `kakehashi tiles build`.
public final class TileSource: @unchecked Sendable {
    public static let layers = ["municipalities", "meshes", "providers", "service_areas", "medical_areas", "concept_areas", "prefectures"]
    /// The layers of figures: they take a population `year` and a coverage variant (`service`, `date`).
    public static let figureLayers: Set<String> = ["municipalities", "meshes", "medical_areas", "concept_areas", "prefectures"]
    /// Below this zoom the service-area tiles leave radius circles out (thousands overlap there).
    public static let radiusMinZoom = 9
    /// From this zoom provider tiles always carry every provider with its properties.
    public static let providerDetailZoom = 12
    /// Below ``providerDetailZoom``, tiles with more providers than this carry them aggregated.
    public static let providerAggregateAbove = 2_000
    /// Below ``providerDetailZoom``, service-area tiles with more radius circles than this carry
    /// their centres (points with `radius_m`) instead of the rings.
    public static let circlesAsCentresAbove = 500
    let circlesAsCentresAbove: Int

    /// One feature per 64×64-unit cell of the tile and kind: the first provider's position, the
    /// kind, and how many providers of that kind the cell holds.
    static func aggregate(_ points: [(id: Int64, kind: String, location: GeoPoint)], tile: TileID) -> [VectorTileEncoder.Feature] {
        let b = tile.bounds
        struct Key: Hashable { let cx: Int, cy: Int, kind: String }
        var cells: [Key: (first: GeoPoint, count: Int)] = [:]
        var order: [Key] = []
        // Mercator y within the tile, as the encoder projects it.
        func mercatorY(_ lat: Double) -> Double { log(tan(.pi / 4 + lat * .pi / 360)) }
        let top = mercatorY(b.maxLat), bottom = mercatorY(b.minLat)
        for p in points {
            let fx = (p.location.lon - b.minLon) / (b.maxLon - b.minLon), fy = (top - mercatorY(p.location.lat)) / (top - bottom)
            // The encoder's buffer: 64 of 4096 units around the tile.
            guard fx >= -1.0 / 64, fx <= 1 + 1.0 / 64, fy >= -1.0 / 64, fy <= 1 + 1.0 / 64 else { continue }
            let key = Key(cx: Int((fx * 64).rounded(.down)), cy: Int((fy * 64).rounded(.down)), kind: p.kind)
            if let c = cells[key] { cells[key] = (c.first, c.count + 1) } else { cells[key] = (p.location, 1); order.append(key) }
        }
        return order.map { key in
            let c = cells[key]!
            return .init(id: nil, geometry: .point(c.first), properties: [("kind", .string(key.kind)), ("count", .int(Int64(c.count)))])
        }
    }

    struct Shape {
        let geometry: Geometry
        let box: GeoBox
        let properties: [(String, VectorTileEncoder.Value)]
        /// About what the shape holds in memory: its points, its box and its properties.
        let bytes: Int
    }

    /// A coverage variant of the municipal and mesh tiles: who covers each place for a service on
    /// the night of a date (tonight's window, as the layers define it).
    public struct Coverage: Sendable, Hashable, CustomStringConvertible {
        public var service: ServiceKind
        public var date: CivilDate
        public init(service: ServiceKind, date: CivilDate) { self.service = service; self.date = date }
        public var description: String { "\(service.rawValue)-\(date)" }

        /// The nights a variant may be asked for: each is built whole (seconds, megabytes), so an
        /// open range let anyone fill memory with dates nobody plans for.
        public static let daysBefore = 7, daysAfter = 60

        /// The nights (as day numbers) variants are built for, seen from `today`.
        public static func nights(around today: CivilDate) -> ClosedRange<Int> {
            (today.dayNumber - daysBefore)...(today.dayNumber + daysAfter)
        }
    }

    let database: SpatialDatabase
    let index: CoverageIndex
    let onCall: OnCallBoard
    /// The two layers as loaded, kept for as long as the data.
    private let baseShapes = ByteBudgetCache<String, [Shape]>(budget: .max)
    /// Coverage variants, within a budget of bytes.
    private let variantShapes: ByteBudgetCache<String, [Shape]>
    /// Coverage variants reflect on-call reports as they were when built: rebuilt after this long.
    public static let coverageLifetime: TimeInterval = 600
    /// The default budget for coverage variants' shapes (a mesh variant of three prefectures is
    /// about 40 MB).
    public static let defaultVariantBudget = 192 << 20

    public init(database: SpatialDatabase, index: CoverageIndex, onCall: OnCallBoard, circlesAsCentresAbove: Int = TileSource.circlesAsCentresAbove,
                variantBudget: Int = TileSource.defaultVariantBudget) {
        self.database = database
        self.index = index
        self.onCall = onCall
        self.circlesAsCentresAbove = circlesAsCentresAbove
        variantShapes = ByteBudgetCache(budget: variantBudget, lifetime: Self.coverageLifetime)
    }

    /// What the coverage variants hold.
    public var variantUsage: CacheUsage { variantShapes.usage }

    /// The municipal or mesh layer prepared for tiling, built on first use (per coverage variant).
    func layerShapes(_ layer: String, coverage: Coverage? = nil, year: Int? = nil) throws -> [Shape] {
        let key = layer + (coverage.map { "|\($0)" } ?? "") + (year.map { "|year=\($0)" } ?? "")
        // Built outside the caches' locks: a coverage variant takes seconds and must not hold up
        // other tiles (two requests may build the same variant once).
        return try (coverage == nil && year == nil ? baseShapes : variantShapes).value(key) {
            let shapes = try buildShapes(layer, coverage: coverage, year: year)
            return (shapes, shapes.reduce(0) { $0 + $1.bytes })
        }
    }

    private func buildShapes(_ layer: String, coverage: Coverage?, year: Int?) throws -> [Shape] {
        let builder = LayerBuilder(database: database, index: index, onCall: onCall)
        let window = CoverageWindow.tonight(coverage?.date ?? CoverageWindow.night(at: Date()))
        let r = LayerRequest(service: coverage?.service ?? .homeVisitMedical, window: window, coverage: coverage != nil, year: year)
        let l = switch layer {
        case "municipalities": try builder.municipalities(r)
        case "medical_areas": try builder.medicalAreas(r)
        case "concept_areas": try builder.conceptAreas(r)
        case "prefectures": try builder.prefectures(r)
        default: try builder.meshes(r)
        }
        return l.features.map { f in
            let pts = f.geometry.allPoints
            let box = GeoBox(minLon: pts.map(\.lon).min() ?? 0, minLat: pts.map(\.lat).min() ?? 0,
                             maxLon: pts.map(\.lon).max() ?? 0, maxLat: pts.map(\.lat).max() ?? 0)
            let props: [(String, VectorTileEncoder.Value)] = l.columns.compactMap { c in
                switch f.values[c] ?? .none {
                case .text(let s): (c, .string(s))
                // Ratios and estimates as 32-bit floats: a map needs no more than seven digits, and
                // doubles were a third of a dense mesh tile's compressed bytes.
                case .number(let d): (c, .float(Float(d)))
                case .integer(let i): (c, .int(Int64(i)))
                case .flag(let b): (c, .bool(b))
                case .none: nil
                }
            }
            // Points, box and array headers, and each property's name, value and tuple.
            let bytes = 96 + pts.count * 16 + props.reduce(0) { sum, p in
                if case .string(let s) = p.1 { return sum + 48 + p.0.utf8.count + s.utf8.count }
                return sum + 48 + p.0.utf8.count
            }
            return Shape(geometry: f.geometry, box: box, properties: props, bytes: bytes)
        }
    }

    /// The encoded tile of a layer (empty when nothing lies in it); municipal and mesh tiles of a
    /// population `year` (nil: the latest actual one) are a variant, like coverage.
    public func tile(_ layer: String, _ tile: TileID, coverage: Coverage? = nil, year: Int? = nil) throws -> Data {
        var encoder = VectorTileEncoder(tile: tile)
        let b = tile.bounds
        // The tile plus its buffer, in degrees.
        let pad = (b.maxLon - b.minLon) * 64 / 4096
        let box = GeoBox(minLon: b.minLon - pad, minLat: b.minLat - pad, maxLon: b.maxLon + pad, maxLat: b.maxLat + pad)
        switch layer {
        case "providers":
            // Below z12 a tile with more than a few thousand providers carries them aggregated: one
            // point per 64-unit cell and kind, with `count`, so low zooms stay small and fast.
            if tile.z < Self.providerDetailZoom {
                let points = index.providerPoints(in: box)
                if points.count > Self.providerAggregateAbove {
                    encoder.addLayer(name: layer, features: Self.aggregate(points, tile: tile))
                    break
                }
            }
            let fc = index.providers(in: box, services: [], limit: 100_000)
            encoder.addLayer(name: layer, features: fc.features.map { f in
                .init(id: UInt64(f.id), geometry: .point(GeoPoint(lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1])),
                      properties: f.properties.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })
            })
        case "service_areas":
            // Drawn polygons at every zoom; declared radius circles from z9, where they can be told
            // apart. Below z12 a tile with many circles carries their centres with `radius_m`
            // instead (a client can draw them), which keeps busy low-zoom tiles small.
            func properties(_ provider: Int64, _ service: String?, _ rule: String) -> [(String, VectorTileEncoder.Value)] {
                [("provider_id", .int(provider)), ("rule", .string(rule))] + (service.map { [("service", .string($0))] } ?? [])
            }
            var features = index.polygonAreas(in: box).map { a in
                VectorTileEncoder.Feature(id: nil, geometry: a.geometry, properties: properties(a.provider, a.service, "polygon"))
            }
            if tile.z >= Self.radiusMinZoom {
                let circles = index.radiusAreas(in: box)
                let asCentres = tile.z < Self.providerDetailZoom && circles.count > circlesAsCentresAbove
                features += circles.map { c in
                    asCentres
                        ? .init(id: nil, geometry: .point(c.centre), properties: properties(c.provider, c.service, "radius") + [("radius_m", .double(c.radiusM))])
                        : .init(id: nil, geometry: .polygon([Geodesic.circle(around: c.centre, metres: c.radiusM, steps: 48)]),
                                properties: properties(c.provider, c.service, "radius") + [("radius_m", .double(c.radiusM))])
                }
            }
            encoder.addLayer(name: layer, features: features)
        default:
            encoder.addLayer(name: layer, features: try layerShapes(layer, coverage: coverage, year: year).compactMap { s in
                guard s.box.minLon <= box.maxLon, s.box.maxLon >= box.minLon, s.box.minLat <= box.maxLat, s.box.maxLat >= box.minLat else { return nil }
                return .init(id: nil, geometry: s.geometry, properties: s.properties)
            })
        }
        return encoder.data()
    }

    /// The fields of a layer, for TileJSON and MBTiles metadata.
    public static func fields(_ layer: String) -> [String: String] {
        switch layer {
        case "municipalities": ["code": "String", "name": "String", "population_total": "Number", "population_75_plus": "Number", "ratio_65_plus": "Number", "ratio_75_plus": "Number", "providers": "Number", "providers_per_1000_75_plus": "Number",
                                "covered_75_plus_share": "Number (with service)", "uncovered_75_plus": "Number (with service)"]
        case "meshes": ["mesh_code": "String", "population_total": "Number", "population_75_plus": "Number", "estimated": "Boolean",
                        "covered": "Boolean (with service)", "gap": "Boolean (with service)"]
        case "providers": ["name": "String", "kind": "String", "services": "String", "official_id": "String", "count": "Number"]
        case "medical_areas", "concept_areas", "prefectures":
            ["code": "String", "name": "String", "municipalities": "Number", "municipality_codes": "String", "population_total": "Number",
             "population_65_plus": "Number", "population_75_plus": "Number", "ratio_65_plus": "Number", "ratio_75_plus": "Number",
             "providers": "Number", "providers_per_1000_75_plus": "Number", "home_visit_demand": "Number (not prefectures)",
             "covered_75_plus_share": "Number (with service)", "uncovered_75_plus": "Number (with service)"]
        default: ["provider_id": "Number", "service": "String", "rule": "String", "radius_m": "Number (radius areas; below z12 in busy tiles the feature is the centre point)"]
        }
    }
}
