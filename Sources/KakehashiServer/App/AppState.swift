import Foundation
import Hummingbird
import KakehashiAddress
import KakehashiCache
import KakehashiCoverage
import KakehashiGeo
import KakehashiHours
import KakehashiLayers
import KakehashiStore
import Prometheus

/// What every request reads: the database, the data loaded from it (coverage index, gazetteer,
/// tile source and cache — swapped whole when a new load lands), the on-call board, the write
/// tokens and the metrics registry.
public struct AppState: Sendable {
    public let database: SpatialDatabase
    public let onCall: OnCallBoard
    public let tokens: TokenRegistry
    public let registry: PrometheusCollectorRegistry
    /// The web page's libraries and base map.
    public var web = WebSettings()
    /// The address written into links instead of the `Host` header (behind a proxy).
    public var publicBaseURL: String?
    let settings: CoverageIndex.Settings
    let budgets: CacheBudgets
    private let loaded: LoadedDataBox

    /// The current data, for a request that needs several parts of one reading (tiles and their cache).
    var data: LoadedData { loaded.current }
    public var index: CoverageIndex { loaded.current.index }
    public var geocoder: Geocoder { loaded.current.geocoder }
    var tileSource: TileSource { loaded.current.tileSource }
    var tiles: TileCache { loaded.current.tiles }
    /// The web map's first view.
    var focus: GeoBox? { loaded.current.focus }

    public init(database: SpatialDatabase, settings: CoverageIndex.Settings = .init(), budgets: CacheBudgets = .init(),
                tokens: TokenRegistry, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws {
        self.database = database
        self.settings = settings
        self.budgets = budgets
        onCall = OnCallBoard(try database.currentOnCallReports())
        self.tokens = tokens
        self.registry = registry
        loaded = LoadedDataBox(try LoadedData(database: database, settings: settings, budgets: budgets, onCall: onCall))
    }

    /// Reads the data again when a load has landed since it was last read (imports run in another
    /// process); answers the new provider count, or nil when nothing changed. Requests keep being
    /// answered from the old data while the new is built; the swap is one pointer.
    @discardableResult
    public func reloadIfChanged() throws -> Int? {
        guard try database.latestDatasetID() != loaded.current.datasetID else { return nil }
        let fresh = try LoadedData(database: database, settings: settings, budgets: budgets, onCall: onCall)
        loaded.current = fresh
        return fresh.index.providerCount
    }
}

/// One reading of the database: everything built from it at once.
final class LoadedData: Sendable {
    let datasetID: Int64
    let index: CoverageIndex
    let geocoder: Geocoder
    let tileSource: TileSource
    let tiles: TileCache
    /// Built layer files by their parameters; rebuilt after the coverage variants' lifetime, since
    /// they follow on-call reports too.
    let layerFiles: ByteBudgetCache<String, ByteBuffer>
    let entryFragments = EntryFragments()
    let entryMemos = EntryMemos()
    let focus: GeoBox?

    init(database: SpatialDatabase, settings: CoverageIndex.Settings, budgets: CacheBudgets, onCall: OnCallBoard) throws {
        // The id first: a load landing while the rest is read is then seen by the next check.
        datasetID = try database.latestDatasetID()
        index = CoverageIndex(try HeapTrim.onOwnThread { try database.providerFacts() }, settings: settings)
        geocoder = Geocoder(gazetteer: try database.gazetteer())
        tileSource = TileSource(database: database, index: index, onCall: onCall, variantBudget: budgets.layerVariants)
        tiles = TileCache(version: index.dataVersion, budget: budgets.tiles)
        layerFiles = ByteBudgetCache(budget: budgets.layerFiles, lifetime: TileSource.coverageLifetime)
        focus = index.providerFocus
        HeapTrim.afterLoad()
    }
}

/// The current ``LoadedData``, swapped under a lock.
final class LoadedDataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: LoadedData

    init(_ value: LoadedData) { self.value = value }

    var current: LoadedData {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
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
