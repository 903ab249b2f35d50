import Foundation
import KakehashiGeo

/// The coordinate reference systems the feature API answers in (OGC API – Features Part 2, CRS by
/// reference): CRS84 as stored, JGD2011 (EPSG:6668) and its nineteen plane rectangular zones
/// (EPSG:6669–6687), in which Japanese municipal base maps are drawn. Coordinates are transformed
/// by PROJ in each CRS's authority axis order (EPSG:6668 latitude first; a zone's X, the
/// northing, first), exactly as `cs2cs` writes them.
struct FeatureCRS {
    static let crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
    static func epsg(_ code: Int) -> String { "http://www.opengis.net/def/crs/EPSG/0/\(code)" }
    static var supported: [String] { [crs84, epsg(6668)] + (6669...6687).map(epsg) }

    let uri: String
    /// nil for CRS84, the storage CRS.
    let code: Int?

    static let stored = FeatureCRS(uri: crs84, code: nil)

    private init(uri: String, code: Int?) {
        self.uri = uri
        self.code = code
    }

    /// The CRS a parameter names (its URI, or `EPSG:6677` for short); absent is CRS84.
    init(parameter value: String?, name: String) throws {
        guard let value else { self = .stored; return }
        if value == Self.crs84 || value == "OGC:CRS84" || value == "[OGC:CRS84]" { self = .stored; return }
        let digits = value.hasPrefix("http://www.opengis.net/def/crs/EPSG/0/") ? value.dropFirst(38)
            : value.hasPrefix("EPSG:") ? value.dropFirst(5) : value.hasPrefix("[EPSG:") && value.hasSuffix("]") ? value.dropFirst(6).dropLast() : ""
        guard let code = Int(digits), code == 6668 || (6669...6687).contains(code) else {
            throw Problem.badRequest(name, "\(name) に使えるのは \(Self.crs84)、EPSG:6668 と平面直角座標系 EPSG:6669～6687 です（値: \(value.prefix(80))）")
        }
        self.init(uri: Self.epsg(code), code: code)
    }

    /// The PROJ operation from CRS84 to this CRS; nil for CRS84 itself.
    func projection() throws -> Projection? {
        guard let code else { return nil }
        return try Projection(from: "OGC:CRS84", to: "EPSG:\(code)", authorityOrder: true)
    }

    /// A box given in this CRS (its axis order, as `bbox-crs` says), as the CRS84 box that holds it:
    /// the edges are sampled, since a zone's straight edge is curved in longitude and latitude.
    func crs84Box(_ box: GeoBox, _ projection: Projection?) -> GeoBox {
        guard let projection else { return box }
        // GeoBox holds the first axis as lon and the second as lat, as the parameter gave them.
        var lons: [Double] = [], lats: [Double] = []
        for i in 0...20 {
            let t = Double(i) / 20
            for (a, b) in [(box.minLon + t * (box.maxLon - box.minLon), box.minLat), (box.minLon + t * (box.maxLon - box.minLon), box.maxLat),
                           (box.minLon, box.minLat + t * (box.maxLat - box.minLat)), (box.maxLon, box.minLat + t * (box.maxLat - box.minLat))] {
                let (lon, lat) = projection.transform(a, b, inverse: true)
                if lon.isFinite && lat.isFinite { lons.append(lon); lats.append(lat) }
            }
        }
        return GeoBox(minLon: lons.min() ?? 0, minLat: lats.min() ?? 0, maxLon: lons.max() ?? 0, maxLat: lats.max() ?? 0)
    }

    /// A GeoJSON geometry (as parsed JSON) with every position transformed.
    static func transform(_ value: Any, _ projection: Projection) -> Any {
        guard let list = value as? [Any] else { return value }
        if list.count >= 2, let a = (list[0] as? NSNumber)?.doubleValue, let b = (list[1] as? NSNumber)?.doubleValue, !(list[0] is [Any]) {
            let (x, y) = projection.transform(a, b)
            return [x, y] + list.dropFirst(2)
        }
        return list.map { transform($0, projection) }
    }

    static func transform(feature: [String: Any], _ projection: Projection?) -> [String: Any] {
        guard let projection, var geometry = feature["geometry"] as? [String: Any], let coordinates = geometry["coordinates"] else { return feature }
        var f = feature
        geometry["coordinates"] = transform(coordinates, projection)
        f["geometry"] = geometry
        return f
    }
}
