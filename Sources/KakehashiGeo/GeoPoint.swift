/// A WGS84 position. `x` is always longitude and `y` latitude, whatever order a source file used.
public struct GeoPoint: Sendable, Hashable, Codable {
    public var lon: Double
    public var lat: Double

    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

/// The bounding box that holds every part of Japan, from Yonaguni to Minamitorishima, used to reject
/// coordinates that are swapped, garbled or placeholders.
public enum JapanExtent {
    public static let minLon = 122.0
    public static let maxLon = 154.0
    public static let minLat = 20.0
    public static let maxLat = 46.0

    public static func contains(_ p: GeoPoint) -> Bool {
        p.lon.isFinite && p.lat.isFinite
            && (minLon...maxLon).contains(p.lon) && (minLat...maxLat).contains(p.lat)
    }
}

/// An axis-aligned box in longitude/latitude.
public struct GeoBox: Sendable, Hashable, Codable {
    public var minLon: Double
    public var minLat: Double
    public var maxLon: Double
    public var maxLat: Double

    public init(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double) {
        self.minLon = minLon
        self.minLat = minLat
        self.maxLon = maxLon
        self.maxLat = maxLat
    }

    public var center: GeoPoint { GeoPoint(lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2) }

    /// Whether the two boxes share a point (edges included).
    public func intersects(_ b: GeoBox) -> Bool {
        minLon <= b.maxLon && maxLon >= b.minLon && minLat <= b.maxLat && maxLat >= b.minLat
    }

    public func contains(_ p: GeoPoint) -> Bool {
        p.lon >= minLon && p.lon < maxLon && p.lat >= minLat && p.lat < maxLat
    }

    /// The box as a closed polygon ring, counter-clockwise.
    public var ring: [GeoPoint] {
        [GeoPoint(lon: minLon, lat: minLat), GeoPoint(lon: maxLon, lat: minLat),
         GeoPoint(lon: maxLon, lat: maxLat), GeoPoint(lon: minLon, lat: maxLat),
         GeoPoint(lon: minLon, lat: minLat)]
    }
}
