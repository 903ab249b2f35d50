import Foundation
import GRDB
import KakehashiGeo
import KakehashiModel

/// Writes parsed files in one transaction: the load lands whole or changes nothing.
///
/// Each row belongs to the dataset that last wrote it. A newer release of a source (same
/// `source_key`) takes over the rows it holds again and deletes the rows only the older release
/// held; the older dataset stays in `datasets`, marked `superseded_by`.
enum DatasetWriter {
    typealias Progress = @Sendable (_ done: Int, _ total: Int) -> Void

    static func write(_ batch: [ParsedDataset], into db: Database, shrink: ReleaseShrinkRule,
                      progress: Progress?) throws -> [ImportReport] {
        guard let main = batch.first else { return [] }
        // Same bytes already loaded and still current: a no-op, once its rows are known to read
        // (loaded with --skip-invalid, the file is still refused without it).
        if let existing = try Row.fetchOne(db, sql: """
            SELECT id, source_key FROM datasets WHERE source_kind = ? AND sha256 = ? AND superseded_by IS NULL
            """, arguments: [main.kind.rawValue, main.file.sha256]) {
            if let stream = main.providerStream { while try stream.next() != nil {} }
            return [ImportReport(status: .unchanged, datasetID: existing["id"], kind: main.kind, file: main.file.name,
                                 sha256: main.file.sha256, sourceKey: existing["source_key"], referenceDate: main.referenceDate,
                                 rowsRead: main.rowsRead, rowsLoaded: 0, rowsRejected: 0, superseded: [], warnings: [], rejected: [])]
        }
        let now = ISO8601DateFormatter().string(from: Date())
        let opened = try batch.map { try OpenedRelease($0, loadedAt: now, db: db) }
        let ids = opened.map(\.id), superseded = opened.map(\.superseded), previous = opened.map(\.previous)
        let capabilitiesBefore = opened.map(\.capabilitiesBefore)

        var loaded = Array(repeating: 0, count: batch.count)
        var warnings = batch.map(\.warnings)
        var rejected = batch.map(\.rejected)
        let total = batch.reduce(0) { $0 + $1.providerCount + $1.municipalities.count + $1.population.count + $1.meshPopulation.count + $1.towns.count
            + $1.planningAreas.count + $1.demand.count }
        var done = 0
        func tick() {
            done += 1
            if done % 500 == 0 || done == total { progress?(done, total) }
        }
        for (slot, part) in batch.enumerated() {
            let id = ids[slot]
            loaded[slot] += try writeMunicipalities(part, dataset: id, db: db, warnings: &warnings[slot], rejected: &rejected[slot], tick: tick)
            loaded[slot] += try writePopulation(part, dataset: id, db: db, tick: tick)
            loaded[slot] += try writeMesh(part, dataset: id, db: db, tick: tick)
            loaded[slot] += try writeTowns(part, dataset: id, db: db, tick: tick)
            loaded[slot] += try writePlanningAreas(part, dataset: id, db: db, tick: tick)
            loaded[slot] += try writeDemand(part, dataset: id, db: db, tick: tick)
            let (providers, facts) = try writeProviders(part, datasets: ids, db: db, warnings: &warnings[slot],
                                                        rejected: &rejected[slot], tick: tick)
            loaded[slot] += providers
            for (s, n) in facts where s != slot { loaded[s] += n }
            loaded[slot] += try attachAreas(part, dataset: id, db: db)
        }

        var reports: [ImportReport] = []
        for (slot, part) in batch.enumerated() {
            let id = ids[slot], old = superseded[slot]
            try shrink.check(file: part.file.name, loaded: loaded[slot], previous: previous[slot].loaded)
            let change = try previous[slot].change(to: id, db: db)
            let capabilityChanges = old.isEmpty ? nil
                : CapabilityChange.between(capabilitiesBefore[slot], try CapabilityChange.held(by: [id], db: db))
            if !old.isEmpty {
                let list = old.map(String.init).joined(separator: ",")
                for table in Schema.ownedTables { try db.execute(sql: "DELETE FROM \(table) WHERE dataset_id IN (\(list))") }
                try db.execute(sql: "UPDATE datasets SET superseded_by = ? WHERE id IN (\(list))", arguments: [id])
            }
            let report = ImportReport(
                status: .loaded, datasetID: id, kind: part.kind, file: part.file.name, sha256: part.file.sha256,
                sourceKey: part.sourceKey, referenceDate: part.referenceDate, rowsRead: part.rowsRead,
                rowsLoaded: loaded[slot], rowsRejected: rejected[slot].count, superseded: old,
                warnings: warnings[slot], rejected: rejected[slot], change: change, capabilityChanges: capabilityChanges)
            let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            try db.execute(sql: "UPDATE datasets SET rows_loaded = ?, rows_rejected = ?, warnings = ?, report = ? WHERE id = ?",
                           arguments: [loaded[slot], rejected[slot].count, warnings[slot].count, json, id])
            reports.append(report)
        }
        return reports
    }

    /// A file's row in `datasets`, and what the releases it replaces held before it is written.
    struct OpenedRelease {
        let id: Int64
        let superseded: [Int64]
        let previous: ReleaseRows
        let capabilitiesBefore: [String: CapabilityChange.Held]

        init(_ part: ParsedDataset, loadedAt: String, db: Database) throws {
            try db.execute(sql: """
                INSERT INTO datasets (source_kind, source_key, file_name, sha256, rows_read, rows_loaded, rows_rejected,
                                      warnings, reference_date, credit, loaded_at, report)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, '{}')
                """, arguments: [part.kind.rawValue, part.sourceKey, part.file.name, part.file.sha256, part.rowsRead,
                                 part.rejected.count, part.warnings.count, part.referenceDate, part.credit ?? part.kind.credit, loadedAt])
            id = db.lastInsertedRowID
            superseded = try Int64.fetchAll(db, sql: "SELECT id FROM datasets WHERE source_key = ? AND superseded_by IS NULL AND id != ?",
                                            arguments: [part.sourceKey, id])
            previous = try ReleaseRows(of: superseded, db: db)
            capabilitiesBefore = try CapabilityChange.held(by: superseded, db: db)
            if !superseded.isEmpty {
                // Provider facts are written anew for every provider loaded again.
                for table in Schema.providerFactTables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE dataset_id IN (\(superseded.map(String.init).joined(separator: ",")))")
                }
            }
        }
    }

    /// What the releases a load replaces held: the rows they loaded (the shrink rule's measure) and
    /// the rows of the owned tables still theirs (to tell kept rows from dropped ones).
    struct ReleaseRows {
        let datasets: [Int64]
        let loaded: Int
        let owned: Int

        init(of datasets: [Int64], db: Database) throws {
            self.datasets = datasets
            let list = datasets.map(String.init).joined(separator: ",")
            loaded = datasets.isEmpty ? 0 : try Int.fetchOne(db, sql: "SELECT coalesce(sum(rows_loaded), 0) FROM datasets WHERE id IN (\(list))") ?? 0
            owned = try Self.owned(by: datasets, db: db)
        }

        /// What the new release `id` keeps, adds and drops of these rows; nil when neither holds
        /// rows of the owned tables (a file of hours or areas only, counted in facts).
        func change(to id: Int64, db: Database) throws -> ImportReport.Change? {
            let now = try Self.owned(by: [id], db: db)
            guard owned > 0 || now > 0 else { return nil }
            let dropped = try Self.owned(by: datasets, db: db)  // not taken over: deleted with the old release
            let kept = owned - dropped
            return ImportReport.Change(kept: kept, added: now - kept, dropped: dropped)
        }

        static func owned(by datasets: [Int64], db: Database) throws -> Int {
            guard !datasets.isEmpty else { return 0 }
            let list = datasets.map(String.init).joined(separator: ",")
            return try Schema.ownedTables.reduce(0) { sum, table in
                sum + (try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table) WHERE dataset_id IN (\(list))") ?? 0)
            }
        }
    }

    /// SQL that turns GeoJSON text into a valid multipolygon, or NULL when no area survives repair.
    /// SpatiaLite predicates answer -1 on bad input, which SQL takes as true: always compare with 1.
    static let repairedArea = """
        CASE WHEN ST_IsValid(g) = 1 THEN CastToMultiPolygon(g)
             ELSE CastToMultiPolygon(ST_CollectionExtract(ST_MakeValid(g), 3)) END
        """

    private static func writeMunicipalities(_ part: ParsedDataset, dataset: Int64, db: Database,
                                            warnings: inout [ImportIssue], rejected: inout [ImportIssue], tick: () -> Void) throws -> Int {
        guard !part.municipalities.isEmpty else { return 0 }
        let repair = try db.cachedStatement(sql: """
            SELECT ST_IsValid(g) = 1 AS valid, \(repairedArea) AS area
            FROM (SELECT SetSRID(GeomFromGeoJSON(?), 4326) AS g)
            """)
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO municipalities (code, prefecture_code, prefecture, county, city, ward, name, dataset_id, boundary)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(code) DO UPDATE SET prefecture_code = excluded.prefecture_code, prefecture = excluded.prefecture,
                county = excluded.county, city = excluded.city, ward = excluded.ward, name = excluded.name,
                dataset_id = excluded.dataset_id, boundary = excluded.boundary
            """)
        var written = 0
        for m in part.municipalities {
            defer { tick() }
            guard let row = try Row.fetchOne(repair, arguments: [Geometry.multiPolygon(m.parts).geoJSON]) else { continue }
            guard let area = row["area"] as DatabaseValue?, !area.isNull else {
                // At coarse simplifications a small municipality can collapse to a line.
                rejected.append(ImportIssue(file: part.file.name, feature: m.feature, column: "geometry",
                                            "市区町村 \(m.code) \(m.name) の境界は修復しても面になりません（簡略化で潰れている可能性）。読み飛ばしました"))
                continue
            }
            if row["valid"] as Bool? != true {
                warnings.append(ImportIssue(file: part.file.name, feature: m.feature, column: "geometry",
                                            "市区町村 \(m.code) \(m.name) の境界が不正（自己交差など）だったため修復しました"))
            }
            try upsert.execute(arguments: [m.code, String(m.code.prefix(2)), m.prefecture, m.county, m.city, m.ward, m.name, dataset, area])
            written += 1
        }
        return written
    }

    private static func attachAreas(_ part: ParsedDataset, dataset: Int64, db: Database) throws -> Int {
        var missing: [ImportIssue] = []
        for a in part.attachedAreas {
            guard let provider = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM providers WHERE source = ? AND official_id = ?"),
                                                    arguments: [a.providerSource, a.officialID]) else {
                missing.append(ImportIssue(file: part.file.name, feature: a.line, column: "provider",
                                           "事業所 \(a.providerSource) / \(a.officialID) が読み込まれていません"))
                continue
            }
            try insertArea(a.area, provider: provider, dataset: dataset, db: db)
        }
        if !missing.isEmpty { throw ImportFailure(missing) }
        return part.attachedAreas.count
    }
}
