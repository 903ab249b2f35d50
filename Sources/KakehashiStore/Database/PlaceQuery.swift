import GRDB
import KakehashiAddress

/// The municipality a point lies in and the nearest 町字.
public struct ReverseGeocodeResult: Sendable, Codable {
    public var prefecture: String?
    public var city: String?
    public var cityCode: String?
    public var town: String?
    /// Metres from the point to the town's representative point.
    public var townDistanceM: Double?
    public var lat: Double
    public var lon: Double
    public var level: Int

    enum CodingKeys: String, CodingKey {
        case prefecture, city, cityCode = "city_code", town, townDistanceM = "town_distance_m", lat, lon, level
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(prefecture, forKey: .prefecture)
        try c.encode(city, forKey: .city)
        try c.encode(cityCode, forKey: .cityCode)
        try c.encode(town, forKey: .town)
        try c.encode(townDistanceM, forKey: .townDistanceM)
        try c.encode(lat, forKey: .lat)
        try c.encode(lon, forKey: .lon)
        try c.encode(level, forKey: .level)
    }
}

extension SpatialDatabase {
    /// The gazetteer of every loaded municipality and 町字. Cities are named as addresses write them:
    /// a 政令市 with its ward, a 郡 with its town (`入間郡三芳町`).
    public func gazetteer() throws -> Gazetteer {
        try reader.read { db in
            var cities: [(code: String, prefecture: String, name: String, point: Gazetteer.Place?)] = []
            for r in try Row.fetchAll(db, sql: """
                SELECT code, prefecture, county, name, X(ST_PointOnSurface(boundary)) AS x, Y(ST_PointOnSurface(boundary)) AS y
                FROM municipalities ORDER BY code
                """) {
                let county: String? = r["county"]
                let name: String = r["name"]
                let full = (county?.hasSuffix("郡") == true ? county! : "") + name
                let point = (r["x"] as Double?).flatMap { x in (r["y"] as Double?).map { Gazetteer.Place(lon: x, lat: $0) } }
                cities.append((r["code"], r["prefecture"], full, point))
            }
            // Cities the gazetteer knows without a loaded boundary; their point is the mean of their towns.
            for r in try Row.fetchAll(db, sql: """
                SELECT municipality_code AS code, prefecture, city, avg(X(point)) AS x, avg(Y(point)) AS y
                FROM towns WHERE municipality_code NOT IN (SELECT code FROM municipalities)
                GROUP BY municipality_code
                """) {
                let point = (r["x"] as Double?).flatMap { x in (r["y"] as Double?).map { Gazetteer.Place(lon: x, lat: $0) } }
                cities.append((r["code"], r["prefecture"], r["city"], point))
            }
            // Where both name a county town, prefer the gazetteer's spelling (it carries the 郡).
            let spelled = Dictionary(try Row.fetchAll(db, sql: "SELECT DISTINCT municipality_code, city FROM towns").map {
                ($0["municipality_code"] as String, $0["city"] as String)
            }, uniquingKeysWith: { a, _ in a })
            cities = cities.map { c in (c.code, c.prefecture, spelled[c.code].map { $0.count >= c.name.count ? $0 : c.name } ?? c.name, c.point) }
            let towns = try Row.fetchAll(db, sql: "SELECT municipality_code, town, X(point) AS x, Y(point) AS y FROM towns ORDER BY id").map { r in
                (cityCode: r["municipality_code"] as String, name: r["town"] as String,
                 point: (r["x"] as Double?).flatMap { x in (r["y"] as Double?).map { Gazetteer.Place(lon: x, lat: $0) } })
            }
            return Gazetteer(cities: cities, towns: towns)
        }
    }

    /// The municipality whose boundary holds the point, and the nearest 町字 within about 5 km.
    public func reverseGeocode(lat: Double, lon: Double) throws -> ReverseGeocodeResult {
        try reader.read { db in
            var result = ReverseGeocodeResult(lat: lat, lon: lon, level: 0)
            if let m = try Row.fetchOne(db, sql: """
                SELECT code, prefecture, county, name FROM municipalities
                WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'municipalities'
                                AND f_geometry_column = 'boundary' AND search_frame = MakePoint(?1, ?2, 4326))
                  AND ST_Contains(boundary, MakePoint(?1, ?2, 4326)) = 1
                LIMIT 1
                """, arguments: [lon, lat]) {
                let county: String? = m["county"]
                result.prefecture = m["prefecture"]
                result.cityCode = m["code"]
                result.city = (county?.hasSuffix("郡") == true ? county! : "") + (m["name"] as String)
                result.level = 2
            }
            // Nearest town, searched in a growing box through the spatial index.
            for half in [0.01, 0.05] {
                if let t = try Row.fetchOne(db, sql: """
                    SELECT municipality_code, town, ST_Distance(point, MakePoint(?1, ?2, 4326), 1) AS d FROM towns
                    WHERE ROWID IN (SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'towns' AND f_geometry_column = 'point'
                                    AND search_frame = BuildMbr(?1 - ?3, ?2 - ?3, ?1 + ?3, ?2 + ?3, 4326))
                      AND (?4 IS NULL OR municipality_code = ?4)
                    ORDER BY d LIMIT 1
                    """, arguments: [lon, lat, half, result.cityCode]) {
                    result.town = t["town"]
                    result.townDistanceM = ((t["d"] as Double) * 10).rounded() / 10
                    if result.cityCode != nil { result.level = 3 }
                    break
                }
            }
            return result
        }
    }
}

extension SpatialDatabase {
    /// A geocoder over the loaded gazetteer, or nil while no 町字 are loaded (nothing could be
    /// placed at town level).
    public func geocoder() throws -> Geocoder? {
        let towns = try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM towns") ?? 0 }
        return towns > 0 ? Geocoder(gazetteer: try gazetteer()) : nil
    }
}
