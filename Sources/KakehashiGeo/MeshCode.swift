/// A JIS X 0410 regional mesh code (地域メッシュコード).
///
/// Levels: 1st 80 km (4 digits), 2nd 10 km (6), 3rd 1 km (8), half 500 m (9), quarter 250 m (10),
/// eighth 125 m (11). Each subdivision below the 3rd level splits a cell into 2×2 numbered
/// 1 (SW), 2 (SE), 3 (NW), 4 (NE).
public struct MeshCode: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Level: Int, Sendable, CaseIterable, Codable {
        case first = 4, second = 6, third = 8, half = 9, quarter = 10, eighth = 11

        /// Nominal cell size in metres, as the statistics name it.
        public var nominalMetres: Int {
            switch self {
            case .first: 80_000
            case .second: 10_000
            case .third: 1_000
            case .half: 500
            case .quarter: 250
            case .eighth: 125
            }
        }

        public init?(nominalMetres: Int) {
            guard let level = Level.allCases.first(where: { $0.nominalMetres == nominalMetres }) else { return nil }
            self = level
        }
    }

    public let code: String
    public let level: Level
    /// The cell in longitude/latitude.
    public let bounds: GeoBox

    public var description: String { code }

    /// Parses a code; nil when it is not a valid JIS X 0410 code.
    public init?(_ text: String) {
        let digits = text.utf8.map { Int($0) - 48 }
        guard let level = Level(rawValue: digits.count), digits.allSatisfy({ (0...9).contains($0) }) else {
            return nil
        }
        // 1st level: latitude × 1.5 (2 digits), longitude − 100 (2 digits).
        let p = digits[0] * 10 + digits[1]
        let u = digits[2] * 10 + digits[3]
        guard p > 0 else { return nil }
        var south = Double(p) / 1.5
        var west = Double(u) + 100
        var height = 2.0 / 3.0
        var width = 1.0
        if digits.count >= 6 {
            let q = digits[4], v = digits[5]
            guard q <= 7, v <= 7 else { return nil }
            height /= 8; width /= 8
            south += Double(q) * height
            west += Double(v) * width
        }
        if digits.count >= 8 {
            let r = digits[6], w = digits[7]
            height /= 10; width /= 10
            south += Double(r) * height
            west += Double(w) * width
        }
        if digits.count >= 9 {
            for d in digits[8...] {
                guard (1...4).contains(d) else { return nil }
                height /= 2; width /= 2
                if d >= 3 { south += height }
                if d == 2 || d == 4 { west += width }
            }
        }
        self.code = text
        self.level = level
        self.bounds = GeoBox(minLon: west, minLat: south, maxLon: west + width, maxLat: south + height)
    }

    /// The cell of the given level that holds a point.
    public init(containing point: GeoPoint, level: Level) {
        var latMinutes = point.lat * 60
        var lonDegrees = point.lon - 100
        let p = Int(latMinutes / 40)
        let u = Int(lonDegrees)
        var code = String(format2(p)) + String(format2(u))
        latMinutes -= Double(p) * 40
        lonDegrees -= Double(u)
        if level.rawValue >= 6 {
            let q = Int(latMinutes / 5), v = Int(lonDegrees * 8)
            code += "\(q)\(v)"
            latMinutes -= Double(q) * 5
            lonDegrees -= Double(v) / 8
        }
        if level.rawValue >= 8 {
            let r = Int(latMinutes / 0.5), w = Int(lonDegrees * 80)
            code += "\(r)\(w)"
            latMinutes -= Double(r) * 0.5
            lonDegrees -= Double(w) / 80
        }
        var cellLat = 0.5, cellLon = 1.0 / 80
        for _ in stride(from: 9, through: level.rawValue, by: 1) {
            cellLat /= 2; cellLon /= 2
            let north = latMinutes >= cellLat, east = lonDegrees >= cellLon
            code += "\(1 + (east ? 1 : 0) + (north ? 2 : 0))"
            if north { latMinutes -= cellLat }
            if east { lonDegrees -= cellLon }
        }
        self.init(code)!
    }

    /// The first-level (80 km) cell this one lies in.
    public var firstLevel: String { String(code.prefix(4)) }
}

private func format2(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
