import Foundation
import GRDB
import KakehashiGeo

/// The loaded municipal boundaries in memory, to say which holds a point. An import checks every
/// provider's point this way: SpatiaLite's `ST_Contains` per row cost a full GEOS relate each, a
/// third of a large import's time.
struct MunicipalityLocator: Sendable {
    struct Shape {
        let code: String
        let geometry: Geometry
        let box: GeoBox
    }

    let shapes: [Shape]
    /// Shapes whose box overlaps each 0.1° cell.
    let cells: [Int64: [Int]]
    let prefectures: Set<String>

    static let cellDegrees = 0.1

    init(_ db: Database) throws {
        var shapes: [Shape] = []
        for r in try Row.fetchAll(db, sql: "SELECT code, AsGeoJSON(boundary) AS geojson FROM municipalities") {
            guard let g = SpatialDatabase.geometry(geoJSON: r["geojson"]) else { continue }
            let points = g.allPoints
            guard let minLon = points.map(\.lon).min(), let minLat = points.map(\.lat).min(),
                  let maxLon = points.map(\.lon).max(), let maxLat = points.map(\.lat).max() else { continue }
            shapes.append(Shape(code: r["code"], geometry: g, box: GeoBox(minLon: minLon, minLat: minLat, maxLon: maxLon, maxLat: maxLat)))
        }
        var cells: [Int64: [Int]] = [:]
        for (i, s) in shapes.enumerated() {
            for x in Self.cell(s.box.minLon)...Self.cell(s.box.maxLon) {
                for y in Self.cell(s.box.minLat)...Self.cell(s.box.maxLat) { cells[Self.key(x, y), default: []].append(i) }
            }
        }
        self.shapes = shapes
        self.cells = cells
        prefectures = Set(shapes.map { String($0.code.prefix(2)) })
    }

    static func cell(_ degrees: Double) -> Int64 { Int64((degrees / cellDegrees).rounded(.down)) }
    static func key(_ x: Int64, _ y: Int64) -> Int64 { x &* 1_000_003 &+ y }

    var isEmpty: Bool { shapes.isEmpty }

    /// Whether the boundaries contradict the municipality a file gives for a point that `found`
    /// holds: another municipality's boundary holds it, or none does though that prefecture's are loaded.
    func contradicts(_ given: String, found: String?) -> Bool {
        guard let found else { return prefectures.contains(String(given.prefix(2))) }
        return found != given
    }

    /// The code of the municipality whose boundary holds the point (the first, if boundaries overlap).
    func code(containing p: GeoPoint) -> String? {
        for i in cells[Self.key(Self.cell(p.lon), Self.cell(p.lat))] ?? [] {
            let s = shapes[i]
            if s.box.contains(p), s.geometry.contains(p) { return s.code }
        }
        return nil
    }
}
