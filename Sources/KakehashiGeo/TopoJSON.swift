import Foundation

/// Reads a TopoJSON topology (https://github.com/topojson/topojson-specification) into features,
/// resolving shared, quantised and delta-encoded arcs.
public enum TopoJSONReader {
    /// A topology's `transform`: quantised positions are deltas, scaled and translated.
    struct Transform {
        var scale = (1.0, 1.0), translate = (0.0, 0.0)
        var quantised = false

        init(_ any: Any?) throws {
            guard let t = any as? [String: Any] else { return }
            guard let s = t["scale"] as? [NSNumber], let tr = t["translate"] as? [NSNumber], s.count == 2, tr.count == 2 else {
                throw GeoDecodingError("transform の scale / translate が不正です")
            }
            scale = (s[0].doubleValue, s[1].doubleValue)
            // A zero scale puts every vertex on the translate point: no area survives.
            guard scale.0.isFinite, scale.1.isFinite, scale.0 > 0, scale.1 > 0 else {
                throw GeoDecodingError("transform の scale は正の数が 2 つ必要です（値: \(scale.0), \(scale.1)）")
            }
            translate = (tr[0].doubleValue, tr[1].doubleValue)
            quantised = true
        }
    }

    /// The features of every object in the topology, or of the named one.
    public static func features(from data: Data, object name: String? = nil) throws -> [Feature] {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw GeoDecodingError("JSON として読めません（途中で切れているか、壊れています）" + jsonErrorDetail(error))
        }
        guard let topo = root as? [String: Any], topo["type"] as? String == "Topology" else {
            throw GeoDecodingError("TopoJSON の Topology ではありません")
        }
        guard let rawArcs = topo["arcs"] as? [Any], let objects = topo["objects"] as? [String: Any] else {
            throw GeoDecodingError("Topology に \"arcs\" または \"objects\" がありません")
        }
        let transform = try Transform(topo["transform"])
        let (scale, translate, quantised) = (transform.scale, transform.translate, transform.quantised)
        let arcs: [[GeoPoint]] = try rawArcs.enumerated().map { index, arc in
            guard let positions = arc as? [[NSNumber]] else { throw GeoDecodingError("弧 \(index) が不正です") }
            var x = 0.0, y = 0.0
            return try positions.map { p in
                guard p.count >= 2 else { throw GeoDecodingError("弧 \(index) に座標の組でない値があります") }
                if quantised {
                    x += p[0].doubleValue; y += p[1].doubleValue
                    return GeoPoint(lon: x * scale.0 + translate.0, lat: y * scale.1 + translate.1)
                }
                return GeoPoint(lon: p[0].doubleValue, lat: p[1].doubleValue)
            }
        }
        func ring(_ any: Any, feature: Int) throws -> [GeoPoint] {
            guard let indexes = any as? [NSNumber] else { throw GeoDecodingError(feature: feature, "リングの弧番号が不正です") }
            var points: [GeoPoint] = []
            for n in indexes.map(\.intValue) {
                let i = n >= 0 ? n : ~n
                guard arcs.indices.contains(i) else { throw GeoDecodingError(feature: feature, "存在しない弧 \(n) を参照しています") }
                let arc = n >= 0 ? arcs[i] : arcs[i].reversed()
                points.append(contentsOf: points.isEmpty ? arc[...] : arc.dropFirst())
            }
            guard points.count >= 4 else { throw GeoDecodingError(feature: feature, "リングの点が 4 つ未満です") }
            if points.first != points.last { points.append(points[0]) }
            return points
        }
        func geometry(_ g: [String: Any], feature: Int) throws -> Geometry? {
            switch g["type"] as? String {
            case "Polygon":
                guard let rings = g["arcs"] as? [Any] else { throw GeoDecodingError(feature: feature, "Polygon に arcs がありません") }
                return .polygon(try rings.map { try ring($0, feature: feature) })
            case "MultiPolygon":
                guard let polys = g["arcs"] as? [[Any]] else { throw GeoDecodingError(feature: feature, "MultiPolygon に arcs がありません") }
                return .multiPolygon(try polys.map { try $0.map { try ring($0, feature: feature) } })
            case "Point":
                guard let c = g["coordinates"] as? [NSNumber], c.count >= 2 else {
                    throw GeoDecodingError(feature: feature, "Point の座標が不正です")
                }
                let p = quantised
                    ? GeoPoint(lon: c[0].doubleValue * scale.0 + translate.0, lat: c[1].doubleValue * scale.1 + translate.1)
                    : GeoPoint(lon: c[0].doubleValue, lat: c[1].doubleValue)
                return .point(p)
            case nil:
                return nil
            case let other?:
                throw GeoDecodingError(feature: feature, "対応していない geometry の種類です: \(other)")
            }
        }
        var features: [Feature] = []
        let names = name.map { [$0] } ?? objects.keys.sorted()
        for key in names {
            guard let object = objects[key] as? [String: Any] else { throw GeoDecodingError("オブジェクト \(key) がありません") }
            let members = object["type"] as? String == "GeometryCollection" ? (object["geometries"] as? [[String: Any]] ?? []) : [object]
            for member in members {
                let index = features.count + 1
                let props = (member["properties"] as? [String: Any])?.mapValues(JSONValue.init(any:)) ?? [:]
                features.append(Feature(index: index, geometry: try geometry(member, feature: index), properties: props))
            }
        }
        return features
    }
}
