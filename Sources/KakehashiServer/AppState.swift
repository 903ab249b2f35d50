import Foundation
import Hummingbird
import KakehashiAddress
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiLayers
import KakehashiStore
import Prometheus

/// What every request reads: the database, the in-memory coverage index and gazetteer, the on-call
/// board, the write tokens and the metrics registry.
public struct AppState: Sendable {
    public let database: SpatialDatabase
    public let index: CoverageIndex
    public let geocoder: Geocoder
    public let onCall: OnCallBoard
    public let tokens: TokenFile
    public let registry: PrometheusCollectorRegistry
    /// The web page's libraries and base map.
    public var web = WebSettings()
    /// The web map's first view.
    let focus: GeoBox?
    let tileSource: TileSource
    let tiles: TileCache

    public init(database: SpatialDatabase, settings: CoverageIndex.Settings = .init(), tokens: TokenFile,
                registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws {
        self.database = database
        index = CoverageIndex(try database.providerFacts(), settings: settings)
        geocoder = Geocoder(gazetteer: try database.gazetteer())
        onCall = OnCallBoard(try database.currentOnCallReports())
        self.tokens = tokens
        self.registry = registry
        tileSource = TileSource(database: database, index: index, onCall: onCall)
        tiles = TileCache(version: index.dataVersion)
        focus = index.providerFocus
    }
}

/// JSON responses: sorted keys, times as ISO 8601 with the Tokyo offset.
enum JSON {
    static func encoder() -> JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.keyEncodingStrategy = .convertToSnakeCase
        e.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(Timestamps.tokyo(date))
        }
        return e
    }

    static func response<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok, contentType: String = "application/json; charset=utf-8") throws -> Response {
        let data = try encoder().encode(value)
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

enum Timestamps {
    static let tokyoZone = TimeZone(identifier: "Asia/Tokyo")!

    /// ISO 8601 in Japan time ("2026-11-24T18:00:00+09:00"). Japan has kept UTC+9 without summer
    /// time since 1952, so this is arithmetic, not a formatter (which cost microseconds per date).
    static func tokyo(_ date: Date) -> String {
        let t = Int(date.timeIntervalSince1970.rounded(.down)) + 9 * 3600
        let days = t >= 0 ? t / 86_400 : (t - 86_399) / 86_400
        let secs = t - days * 86_400
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(CivilDate(dayNumber: days))T\(two(secs / 3600)):\(two(secs % 3600 / 60)):\(two(secs % 60))+09:00"
    }

    /// ISO 8601 with an offset, or a local Tokyo time without one ("2026-11-24T18:00").
    static func parse(_ text: String) -> Date? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$"#
        guard text.count <= 40, let m = try? NSRegularExpression(pattern: pattern).firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) else { return nil }
        func g(_ i: Int) -> String? { Range(m.range(at: i), in: text).map { String(text[$0]) } }
        var parts = DateComponents()
        parts.year = Int(g(1)!); parts.month = Int(g(2)!); parts.day = Int(g(3)!)
        parts.hour = Int(g(4)!); parts.minute = Int(g(5)!); parts.second = g(6).flatMap(Int.init) ?? 0
        var calendar = Calendar(identifier: .gregorian)
        if let offset = g(7) {
            if offset == "Z" { calendar.timeZone = TimeZone(secondsFromGMT: 0)! } else {
                let digits = offset.dropFirst().filter(\.isNumber)
                guard let h = Int(digits.prefix(2)), let mm = Int(digits.suffix(2)), h <= 14, mm < 60 else { return nil }
                calendar.timeZone = TimeZone(secondsFromGMT: (offset.hasPrefix("-") ? -1 : 1) * (h * 3600 + mm * 60))!
            }
        } else {
            calendar.timeZone = tokyoZone
        }
        guard (1...12).contains(parts.month!), (1...31).contains(parts.day!), (0...23).contains(parts.hour!),
              (0...59).contains(parts.minute!), (0...59).contains(parts.second!),
              let d = calendar.date(from: parts), calendar.component(.day, from: d) == parts.day else { return nil }
        return d
    }
}
