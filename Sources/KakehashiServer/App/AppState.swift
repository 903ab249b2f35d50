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
    public let onCall: OnCallBoard
    public let tokens: TokenRegistry
    public let registry: PrometheusCollectorRegistry
    /// The web page's libraries and base map.
    public var web = WebSettings()
    /// The address written into links instead of the `Host` header (behind a proxy).
    public var publicBaseURL: String?
    /// Peers whose `X-Forwarded-For` is believed: behind them every client would share one address.
    public var trustedProxies: Set<String> = []
    /// Accounts, sessions and invitations of the provider desk.
    public var desk = DeskSettings()
    /// When a declaration is due for confirmation (the desk's setting) and stale (the lookup's).
    var freshness: DeclarationFreshness {
        DeclarationFreshness(confirmAfterDays: desk.confirmAfterDays, staleAfterDays: settings.declarationStaleAfterDays)
    }
    /// The present (tests set it: "tonight" depends on the hour asked).
    public var clock: @Sendable () -> Date = { Date() }
    let settings: CoverageIndex.Settings
    let budgets: CacheBudgets
    let file: DatabaseFileWatch
    private let loaded: LoadedDataBox

    /// The current data, for a request that needs several parts of one reading (tiles and their cache).
    var data: LoadedData { loaded.current }
    /// The database the current data was read from (a replaced file is opened anew).
    public var database: SpatialDatabase { loaded.current.database }
    public var index: CoverageIndex { loaded.current.index }
    public var geocoder: Geocoder { loaded.current.geocoder }
    var tileSource: TileSource { loaded.current.tileSource }
    var tiles: TileCache { loaded.current.tiles }
    /// The web map's first view.
    var focus: GeoBox? { loaded.current.focus }
    /// Writes are refused while the database file is missing: they would be lost.
    var writable: Bool { !file.isMissing }

    public init(database: SpatialDatabase, settings: CoverageIndex.Settings = .init(), budgets: CacheBudgets = .init(),
                tokens: TokenRegistry, registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) throws {
        self.settings = settings
        self.budgets = budgets
        onCall = OnCallBoard(try database.currentOnCallReports())
        self.tokens = tokens
        self.registry = registry
        file = DatabaseFileWatch(paths: [database.path, database.recordsPath])
        loaded = LoadedDataBox(try LoadedData(database: database, settings: settings, budgets: budgets, onCall: onCall))
    }

    /// Has the data read again now, off the request (a declaration changed): the lookup sees it
    /// within the seconds a build takes, not at the next reload check.
    /// Writes that land while one reading is queued share it; one that lands while it is being
    /// built queues the next.
    public func reloadSoon() {
        guard loaded.queueReload() else { return }
        let state = self
        // A thread of its own: a build takes seconds on a large region and must not hold one of the
        // few threads that sign-ins and lists share; a failure leaves the check to try again.
        Thread.detachNewThread {
            _ = try? state.loaded.reloading.withLock {
                state.loaded.dequeueReload()
                return try state.reloadNow()
            }
        }
    }

    /// What a reload check did.
    public enum Reload: Equatable, Sendable {
        case unchanged
        /// A load landed: the data was read again (provider count).
        case reloaded(providers: Int)
        /// Another file was put at the database's path: it was opened and read (provider count).
        case reopened(providers: Int)
        /// The database file is gone: writes are refused and `/health` says so until it is back.
        case missing
    }

    /// Reads the data again when a load has landed since it was last read (imports run in another
    /// process), or opens the file anew when it was replaced. Requests keep being answered from
    /// the old data while the new is built; the swap is one pointer.
    @discardableResult
    public func reloadIfChanged() throws -> Reload {
        // One at a time: a build that started earlier must not land after a later one.
        try loaded.reloading.withLock { try reloadNow() }
    }

    /// As ``reloadIfChanged()``, but nothing when a reading is already being built (the periodic
    /// check then waits for its next turn instead of holding a shared thread).
    public func reloadIfIdle() throws -> Reload {
        guard loaded.reloading.try() else { return .unchanged }
        defer { loaded.reloading.unlock() }
        return try reloadNow()
    }

    private func reloadNow() throws -> Reload {
        switch file.check() {
        case .missing:
            return .missing
        case .replaced:
            // The old file's log (`-wal`) is named after the path the new file now holds, and outlives
            // the connections: opened beside it, the new file would be read through the old file's
            // frames ("malformed", found by ReloadTests). The old one empties its log and closes
            // first, once the reads in flight end; lookups go on from memory meanwhile, and what
            // needs the file answers 503 until the new one is read.
            try? loaded.current.database.emptyLogAndClose()
            let database = try SpatialDatabase(path: file.paths[0], access: .server)
            let fresh = try LoadedData(database: database, settings: settings, budgets: budgets, onCall: onCall, now: clock())
            onCall.replaceAll(try database.currentOnCallReports())
            loaded.current = fresh
            file.accept()
            return .reopened(providers: fresh.index.providerCount)
        case .same:
            let database = loaded.current.database, current = loaded.current
            guard try database.latestDatasetID() != current.datasetID || (try database.declarationsVersion()) != current.declarationsVersion
                    || current.rebuildBy.map({ clock() >= $0 }) == true else { return .unchanged }
            let fresh = try LoadedData(database: database, settings: settings, budgets: budgets, onCall: onCall, now: clock())
            loaded.current = fresh
            return .reloaded(providers: fresh.index.providerCount)
        }
    }
}

/// One reading of the database: everything built from it at once.
final class LoadedData: Sendable {
    let database: SpatialDatabase
    let datasetID: Int64
    /// The state of the providers' declarations when read (see ``SpatialDatabase/declarationsVersion()``).
    let declarationsVersion: Int64
    /// When to read again though nothing was written: a declaration turns stale, or a new day
    /// changes every "confirmed N days ago".
    let rebuildBy: Date?
    /// When this reading was made (for `/health`).
    let loadedAt = Date()
    let index: CoverageIndex
    let geocoder: Geocoder
    let tileSource: TileSource
    let tiles: TileCache
    /// Built layer files by their parameters; rebuilt after the coverage variants' lifetime, since
    /// they follow on-call reports too.
    let layerFiles: ByteBudgetCache<String, ByteBuffer>
    /// `/health`'s body while all is well.
    let healthyBody: ByteBuffer
    let entryFragments = EntryFragments()
    let entryMemos = EntryMemos()
    let focus: GeoBox?

    /// `now`: the server's clock, as of which declarations are fresh or stale.
    init(database: SpatialDatabase, settings: CoverageIndex.Settings, budgets: CacheBudgets, onCall: OnCallBoard, now: Date = Date()) throws {
        self.database = database
        // The id first: a load landing while the rest is read is then seen by the next check.
        datasetID = try database.latestDatasetID()
        declarationsVersion = try database.declarationsVersion()
        index = CoverageIndex(try HeapTrim.onOwnThread { try database.providerFacts() }, settings: settings, now: now)
        rebuildBy = Self.rebuildBy(index: index, declarations: declarationsVersion, now: now)
        geocoder = Geocoder(gazetteer: try database.gazetteer())
        tileSource = TileSource(database: database, index: index, onCall: onCall, variantBudget: budgets.layerVariants)
        tiles = TileCache(version: index.dataVersion, budget: budgets.tiles)
        layerFiles = ByteBudgetCache(budget: budgets.layerFiles, lifetime: TileSource.coverageLifetime)
        focus = index.providerFocus
        healthyBody = Self.health(status: "ok", version: index.dataVersion, loadedAt: loadedAt)
        HeapTrim.afterLoad()
    }

    static func rebuildBy(index: CoverageIndex, declarations: Int64, now: Date) -> Date? {
        guard declarations > 0 else { return index.declarationsTurnStale }
        let tokyo = now.timeIntervalSince1970 + 9 * 3600
        let midnight = Date(timeIntervalSince1970: ((tokyo / 86_400).rounded(.down) + 1) * 86_400 - 9 * 3600)
        return min(index.declarationsTurnStale ?? midnight, midnight)
    }

    /// `/health`: the status, the data version and when this reading was made.
    func health(status: String) -> ByteBuffer { Self.health(status: status, version: index.dataVersion, loadedAt: loadedAt) }

    static func health(status: String, version: String, loadedAt: Date) -> ByteBuffer {
        ByteBuffer(string: #"{"data_version":"\#(version)","last_reload":"\#(Timestamps.tokyo(loadedAt))","status":"\#(status)"}"#)
    }
}

/// The current ``LoadedData``, swapped under a lock.
final class LoadedDataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var value: LoadedData
    /// Held for a whole reload.
    let reloading = NSLock()
    private var queued = false

    /// Marks a reload as queued; false when one already is.
    func queueReload() -> Bool { lock.withLock { if queued { return false }; queued = true; return true } }
    func dequeueReload() { lock.withLock { queued = false } }

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
