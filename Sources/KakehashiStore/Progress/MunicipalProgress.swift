import Foundation
import GRDB
import KakehashiModel

/// One municipality's stage of one (ア)–(ク) item in one fiscal year, as its steward recorded it.
public struct ProgressEntry: Sendable, Codable, Equatable {
    public var municipalityCode: String
    public var item: ProgressItem
    public var fiscalYear: Int
    public var stage: ProgressStage
    /// The day the stage was reached or confirmed (YYYY-MM-DD), as the municipality says.
    public var recordedOn: String
    public var note: String?
    public var updatedAt: Date
    public var updatedBy: String

    public init(municipalityCode: String, item: ProgressItem, fiscalYear: Int, stage: ProgressStage, recordedOn: String, note: String?,
                updatedAt: Date, updatedBy: String) {
        (self.municipalityCode, self.item, self.fiscalYear, self.stage) = (municipalityCode, item, fiscalYear, stage)
        (self.recordedOn, self.note, self.updatedAt, self.updatedBy) = (recordedOn, note, updatedAt, updatedBy)
    }

    /// Fiscal years a stage may be recorded for: the 事業 began in 2015 (平成27年度).
    public static let fiscalYears = 2015...2100

    static let tokyo: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "Asia/Tokyo")!
        return c
    }()

    /// Today in Japan, YYYY-MM-DD.
    public static func day(of date: Date) -> String {
        let d = tokyo.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", d.year!, d.month!, d.day!)
    }

    /// Whether the text is a real calendar day written YYYY-MM-DD.
    public static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (2000...2100).contains(y) else { return false }
        let date = tokyo.date(from: DateComponents(year: y, month: m, day: d))
        return date.map { tokyo.dateComponents([.year, .month, .day], from: $0) == DateComponents(year: y, month: m, day: d) } ?? false
    }
}

/// Why a progress write was refused.
public enum ProgressRefusal: Error, Equatable {
    /// Neither a municipality of the boundaries nor an area of the population (a 政令市 as a whole).
    case unknownMunicipality(String)
}

extension SpatialDatabase {
    /// Records a stage (a later write of the same item and year replaces it), audited with the
    /// stage it replaced.
    @discardableResult
    public func putProgress(_ entry: ProgressEntry, role: String, source: String = "api") throws -> ProgressEntry {
        try writeRecords { db in try Self.putProgress(db, entry, role: role, source: source) }
    }

    static func putProgress(_ db: Database, _ e: ProgressEntry, role: String, source: String) throws -> ProgressEntry {
        guard try isProgressArea(db, e.municipalityCode) else { throw ProgressRefusal.unknownMunicipality(e.municipalityCode) }
        let previous = try String.fetchOne(db, sql: "SELECT stage FROM municipal_progress WHERE municipality_code = ? AND item = ? AND fiscal_year = ?",
                                           arguments: [e.municipalityCode, e.item.rawValue, e.fiscalYear])
        try db.execute(sql: """
            INSERT INTO municipal_progress (municipality_code, item, fiscal_year, stage, recorded_on, note, updated_at, updated_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(municipality_code, item, fiscal_year) DO UPDATE SET stage = excluded.stage, recorded_on = excluded.recorded_on,
                note = excluded.note, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """, arguments: [e.municipalityCode, e.item.rawValue, e.fiscalYear, e.stage.rawValue, e.recordedOn, e.note, timestamp(e.updatedAt), e.updatedBy])
        try AuditLog.append(db, at: e.updatedAt, actor: e.updatedBy, action: "progress.put", target: "municipality:\(e.municipalityCode)", detail: [
            "item": e.item.rawValue, "fiscal_year": e.fiscalYear, "stage": e.stage.rawValue, "previous": previous ?? "", "role": role, "source": source,
        ])
        return e
    }

    /// A municipality of the boundaries, or an area of the population that is not a prefecture
    /// (a 政令市 runs the 事業 as a whole, while its wards are the boundaries).
    static func isProgressArea(_ db: Database, _ code: String) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM municipalities WHERE code = ?1)
                OR EXISTS (SELECT 1 FROM municipality_population WHERE code = ?1 AND area <> 'prefecture')
            """, arguments: [code]) ?? false
    }

    /// Recorded stages, by municipality, item and year; `prefecture` a two-digit code.
    public func progress(prefecture: String? = nil, municipality: String? = nil, fiscalYears: [Int]? = nil) throws -> [ProgressEntry] {
        try reader.read { db in
            var sql = "SELECT * FROM municipal_progress WHERE 1"
            var arguments: [any DatabaseValueConvertible] = []
            if let prefecture { sql += " AND substr(municipality_code, 1, 2) = ?"; arguments.append(prefecture) }
            if let municipality { sql += " AND municipality_code = ?"; arguments.append(municipality) }
            if let fiscalYears { sql += " AND fiscal_year IN (\(fiscalYears.map { _ in "?" }.joined(separator: ",")))"; arguments += fiscalYears }
            return try Row.fetchAll(db, sql: sql + " ORDER BY municipality_code, fiscal_year, item", arguments: StatementArguments(arguments)).compactMap { r in
                guard let item = ProgressItem(rawValue: r["item"]), let stage = ProgressStage(rawValue: r["stage"]) else { return nil }
                return ProgressEntry(municipalityCode: r["municipality_code"], item: item, fiscalYear: r["fiscal_year"], stage: stage,
                                     recordedOn: r["recorded_on"], note: r["note"], updatedAt: Self.date(r["updated_at"]) ?? .distantPast,
                                     updatedBy: r["updated_by"])
            }
        }
    }

    /// Municipalities the progress is recorded for, with their names: the boundaries' and the
    /// 政令市 of the population, each ward with the 政令市 it belongs to.
    public func progressAreas(prefecture: String? = nil) throws -> [(code: String, name: String, city: String?)] {
        try reader.read { db in
            // One row a city, whatever names its releases gave it.
            let cities = try Row.fetchAll(db, sql: "SELECT code, max(name) AS name FROM municipality_population WHERE area = 'designated_city' GROUP BY code")
            let cityCode = Dictionary(cities.map { (($0["code"] as String).prefix(2) + ($0["name"] as String? ?? ""), $0["code"] as String) },
                                      uniquingKeysWith: { a, _ in a })
            var out: [(String, String, String?)] = cities.map { ($0["code"], $0["name"] ?? $0["code"], nil) }
            for r in try Row.fetchAll(db, sql: "SELECT code, name, city, ward FROM municipalities") {
                let code: String = r["code"]
                let city = (r["ward"] as String?) != nil ? (r["city"] as String?).flatMap { cityCode[code.prefix(2) + $0] } : nil
                out.append((code, r["name"], city))
            }
            return out.filter { prefecture == nil || $0.0.hasPrefix(prefecture!) }.sorted { $0.0 < $1.0 }
        }
    }
}
