/// The geometries Kakehashi reads and writes, as plain values. Rings are closed (first == last).
public enum Geometry: Sendable, Hashable {
    case point(GeoPoint)
    case lineString([GeoPoint])
    case polygon([[GeoPoint]])
    case multiPolygon([[[GeoPoint]]])

    /// Polygons and multipolygons as a list of polygons; nil for other types.
    public var polygons: [[[GeoPoint]]]? {
        switch self {
        case .polygon(let rings): [rings]
        case .multiPolygon(let polys): polys
        default: nil
        }
    }

    /// Every position of the geometry, for extent checks.
    public var allPoints: [GeoPoint] {
        switch self {
        case .point(let p): [p]
        case .lineString(let ps): ps
        case .polygon(let rings): rings.flatMap { $0 }
        case .multiPolygon(let polys): polys.flatMap { $0.flatMap { $0 } }
        }
    }

    /// RFC 7946 text of this geometry, which SpatiaLite's `GeomFromGeoJSON` reads.
    public var geoJSON: String {
        func pos(_ p: GeoPoint) -> String { "[\(p.lon),\(p.lat)]" }
        func line(_ ps: [GeoPoint]) -> String { "[" + ps.map(pos).joined(separator: ",") + "]" }
        func poly(_ rings: [[GeoPoint]]) -> String { "[" + rings.map(line).joined(separator: ",") + "]" }
        switch self {
        case .point(let p): return #"{"type":"Point","coordinates":\#(pos(p))}"#
        case .lineString(let ps): return #"{"type":"LineString","coordinates":\#(line(ps))}"#
        case .polygon(let rings): return #"{"type":"Polygon","coordinates":\#(poly(rings))}"#
        case .multiPolygon(let polys):
            return #"{"type":"MultiPolygon","coordinates":[\#(polys.map(poly).joined(separator: ","))]}"#
        }
    }
}
