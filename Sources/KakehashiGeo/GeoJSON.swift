import Foundation

/// One feature of a GeoJSON or TopoJSON file: its position in the file, geometry and properties.
public struct Feature: Sendable {
    /// 1-based position of the feature in its collection, for error messages.
    public var index: Int
    public var geometry: Geometry?
    public var properties: [String: JSONValue]
    /// Polygon rings the file left open (first point ≠ last, against RFC 7946 §3.1.6), closed by
    /// the reader: importers say so rather than repair in silence.
    public var closedRings = 0

    public init(index: Int, geometry: Geometry?, properties: [String: JSONValue], closedRings: Int = 0) {
        self.index = index
        self.geometry = geometry
        self.properties = properties
        self.closedRings = closedRings
    }
}

/// What went wrong reading a GeoJSON or TopoJSON document; `feature` is 1-based when known.
public struct GeoDecodingError: Error, Sendable, CustomStringConvertible {
    public var feature: Int?
    public var message: String

    public init(feature: Int? = nil, _ message: String) {
        self.feature = feature
        self.message = message
    }

    public var description: String {
        if let feature { return "地物 \(feature): \(message)" }
        return message
    }
}

/// Reads RFC 7946 GeoJSON: a FeatureCollection, a single Feature or a bare geometry.
public enum GeoJSONReader {
    public static func features(from data: Data) throws -> [Feature] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw GeoDecodingError("JSON として読めません（途中で切れているか、壊れています）" + jsonErrorDetail(error))
        }
        guard let object = root as? [String: Any], let type = object["type"] as? String else {
            throw GeoDecodingError("GeoJSON の \"type\" がありません")
        }
        switch type {
        case "FeatureCollection":
            guard let list = object["features"] as? [Any] else {
                throw GeoDecodingError("FeatureCollection に \"features\" 配列がありません")
            }
            return try list.enumerated().map { try feature($0.element, index: $0.offset + 1) }
        case "Feature":
            return [try feature(object, index: 1)]
        default:
            return [Feature(index: 1, geometry: try geometry(object, feature: 1), properties: [:])]
        }
    }

    static func feature(_ any: Any, index: Int) throws -> Feature {
        guard let object = any as? [String: Any], object["type"] as? String == "Feature" else {
            throw GeoDecodingError(feature: index, "Feature ではありません")
        }
        let props = (object["properties"] as? [String: Any])?.mapValues(JSONValue.init(any:)) ?? [:]
        let geom: Geometry? = if let g = object["geometry"], !(g is NSNull) { try geometry(g, feature: index) } else { nil }
        return Feature(index: index, geometry: geom, properties: props, closedRings: openRings(in: object["geometry"]))
    }

    /// How many Polygon / MultiPolygon rings of a raw geometry object are not closed.
    static func openRings(in any: Any?) -> Int {
        guard let object = any as? [String: Any], let type = object["type"] as? String else { return 0 }
        func open(_ rings: Any?) -> Int {
            (rings as? [Any] ?? []).reduce(0) { n, ring in
                guard let r = ring as? [[Any]], let first = r.first, let last = r.last, first.count >= 2, last.count >= 2 else { return n }
                let same = (first[0] as? NSNumber) == (last[0] as? NSNumber) && (first[1] as? NSNumber) == (last[1] as? NSNumber)
                return same ? n : n + 1
            }
        }
        switch type {
        case "Polygon": return open(object["coordinates"])
        case "MultiPolygon": return (object["coordinates"] as? [Any] ?? []).reduce(0) { $0 + open($1) }
        default: return 0
        }
    }

    /// Decodes a GeoJSON geometry object.
    public static func geometry(_ any: Any, feature: Int? = nil) throws -> Geometry {
        guard let object = any as? [String: Any], let type = object["type"] as? String else {
            throw GeoDecodingError(feature: feature, "geometry に \"type\" がありません")
        }
        let coords = object["coordinates"]
        func fail(_ what: String) -> GeoDecodingError {
            GeoDecodingError(feature: feature, "\(type) の座標が不正です（\(what)）")
        }
        func position(_ any: Any?) throws -> GeoPoint {
            guard let a = any as? [Any], a.count >= 2,
                  let x = (a[0] as? NSNumber)?.doubleValue, let y = (a[1] as? NSNumber)?.doubleValue
            else { throw fail("[経度, 緯度] の数値の組が必要です") }
            guard x.isFinite, y.isFinite else { throw fail("数値ではない座標があります") }
            return GeoPoint(lon: x, lat: y)
        }
        func positions(_ any: Any?) throws -> [GeoPoint] {
            guard let a = any as? [Any] else { throw fail("座標の配列が必要です") }
            return try a.map(position)
        }
        func rings(_ any: Any?) throws -> [[GeoPoint]] {
            guard let a = any as? [Any], !a.isEmpty else { throw fail("リングがありません") }
            return try a.map { ring in
                let ps = try positions(ring)
                guard ps.count >= 4 else { throw fail("リングの点が 4 つ未満です") }
                return ps.first == ps.last ? ps : ps + [ps[0]]
            }
        }
        switch type {
        case "Point": return .point(try position(coords))
        case "LineString": return .lineString(try positions(coords))
        case "Polygon": return .polygon(try rings(coords))
        case "MultiPolygon":
            guard let a = coords as? [Any] else { throw fail("ポリゴンの配列が必要です") }
            return .multiPolygon(try a.map(rings))
        default:
            throw GeoDecodingError(feature: feature, "対応していない geometry の種類です: \(type)")
        }
    }
}

/// Where JSONSerialization stopped, when it says.
func jsonErrorDetail(_ error: any Error) -> String {
    guard let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return "" }
    return ": \(detail)"
}
