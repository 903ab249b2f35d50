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
        var ids: [Int64] = []
        var superseded: [[Int64]] = []
        var previous: [ReleaseRows] = []
        var capabilitiesBefore: [[String: CapabilityChange.Held]] = []
        for part in batch {
            try db.execute(sql: """
                INSERT INTO datasets (source_kind, source_key, file_name, sha256, rows_read, rows_loaded, rows_rejected,
                                      warnings, reference_date, credit, loaded_at, report)
                VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, '{}')
                """, arguments: [part.kind.rawValue, part.sourceKey, part.file.name, part.file.sha256, part.rowsRead,
                                 part.rejected.count, part.warnings.count, part.referenceDate, part.credit ?? part.kind.credit, now])
            let id = db.lastInsertedRowID
            ids.append(id)
            let old = try Int64.fetchAll(db, sql: "SELECT id FROM datasets WHERE source_key = ? AND superseded_by IS NULL AND id != ?",
                                         arguments: [part.sourceKey, id])
            superseded.append(old)
            previous.append(try ReleaseRows(of: old, db: db))
            capabilitiesBefore.append(try CapabilityChange.held(by: old, db: db))
            if !old.isEmpty {
                // Provider facts are written anew for every provider loaded again.
                for table in Schema.providerFactTables {
                    try db.execute(sql: "DELETE FROM \(table) WHERE dataset_id IN (\(old.map(String.init).joined(separator: ",")))")
                }
            }
        }

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
            if providers > 0 { try checkMunicipalities(dataset: id, file: part.file.name, db: db, warnings: &warnings[slot]) }
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

    private static func writeProviders(_ part: ParsedDataset, datasets: [Int64], db: Database, warnings: inout [ImportIssue],
                                       rejected: inout [ImportIssue], tick: () -> Void) throws -> (Int, [Int: Int]) {
        guard part.providerCount > 0 else { return (0, [:]) }
        let dataset = datasets[0]
        let upsert = try db.cachedStatement(sql: """
            INSERT INTO providers (id, source, official_id, kind, name, kana, address, building, municipality_code,
                                   municipality_basis, location_status, phone, fax, email, url, preferred_contact,
                                   corporation, dataset_id, source_line, location_level, institution_code,
                                   match_name, match_address, match_phone, location)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, MakePoint(?, ?, 4326))
            ON CONFLICT(source, official_id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                kana = excluded.kana, address = excluded.address, building = excluded.building,
                municipality_code = excluded.municipality_code, municipality_basis = excluded.municipality_basis,
                phone = excluded.phone, fax = excluded.fax,
                email = excluded.email, url = excluded.url, preferred_contact = excluded.preferred_contact,
                corporation = excluded.corporation, dataset_id = excluded.dataset_id,
                source_line = excluded.source_line,
                -- What a joined source lent is kept: its code, and its own point over a town's.
                institution_code = coalesce(excluded.institution_code, providers.institution_code),
                location_status = CASE WHEN \(keepsLentPoint) THEN providers.location_status ELSE excluded.location_status END,
                location_level = CASE WHEN \(keepsLentPoint) THEN providers.location_level ELSE excluded.location_level END,
                location = CASE WHEN \(keepsLentPoint) THEN providers.location ELSE excluded.location END,
                match_name = excluded.match_name, match_address = excluded.match_address, match_phone = excluded.match_phone
            RETURNING id
            """)
        let service = try db.cachedStatement(sql: "INSERT OR REPLACE INTO provider_services (provider_id, service, dataset_id) VALUES (?, ?, ?)")
        let capability = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO provider_capabilities (provider_id, capability, detail, notice_number, since, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        let notice = try db.cachedStatement(sql: """
            INSERT INTO provider_notices (provider_id, code, name, notice_number, since, remarks, source_line, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let hours = try db.cachedStatement(sql: """
            INSERT INTO provider_hours (provider_id, service, scope, label, opening_hours, source_text, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        var facts: [Int: Int] = [:], joinCandidates: [ImportIssue] = []
        var ids = try ProviderIDs(db)
        var written = 0
        func store(_ p: ProviderRecord) throws {
            // Match keys only for the sources that are joined (the native format never is).
            let keys = InstitutionJoin.joins(p.source) ? InstitutionJoin.Keys(p) : nil
            let id: Int64
            if let keys, let join = try InstitutionJoin.target(for: p, keys: keys, db: db) {
                id = join.id
                try joinSource(p, to: join, dataset: dataset, db: db)
            } else {
                guard let new = try Int64.fetchOne(upsert, arguments: [
                    ids.next, p.source, p.officialID, p.kind.rawValue, p.name, p.kana, p.address, p.building, p.municipalityCode,
                    p.municipalityCode == nil ? nil : "file", p.location == nil ? LocationStatus.unknown.rawValue : LocationStatus.exact.rawValue,
                    p.phone, p.fax, p.email, p.url, p.preferredContact?.rawValue, p.corporation, dataset, p.line,
                    p.locationLevel, p.institutionCode, keys?.name, keys?.address, keys?.phone, p.location?.lon, p.location?.lat,
                ]) else { return }
                id = new
                ids.noteReturned(new)
                if let keys { joinCandidates += try InstitutionJoin.candidates(for: p, keys: keys, file: part.file.name, db: db) }
            }
            for s in p.services { try service.execute(arguments: [id, s.rawValue, dataset]) }
            for c in p.capabilities {
                try capability.execute(arguments: [id, c.capability.rawValue, c.detail, c.noticeNumber, c.since, dataset])
            }
            for n in p.notices {
                try notice.execute(arguments: [id, n.code, n.name, n.number, n.since, n.remarks, n.line, dataset])
            }
            for h in p.hours {
                try hours.execute(arguments: [id, h.service?.rawValue, h.scope.rawValue, h.label, h.openingHours, h.sourceText, datasets[h.datasetSlot]])
                facts[h.datasetSlot, default: 0] += 1
            }
            for a in p.areas { try insertArea(a, provider: id, dataset: dataset, db: db) }
            written += 1
            tick()
        }
        for p in part.providers { try store(p) }
        if let stream = part.providerStream {
            defer { stream.cancel() }
            let before = written
            while let chunk = try stream.next() {
                for p in chunk { try store(p) }
            }
            warnings += stream.tail.warnings
            rejected += stream.tail.rejected
            // Rows left out count as done, so the progress reaches its end.
            for _ in 0..<max(0, stream.expected - (written - before)) { tick() }
        }
        try ids.save(db)
        warnings += joinCandidates
        return (written, facts)
    }

    /// When a provider loaded again from a source without a point of its own (a geocoded town point,
    /// or none) keeps the exact point a joined source lent it.
    static let keepsLentPoint = """
        (excluded.location IS NULL OR excluded.location_level IS NOT NULL) AND providers.location IS NOT NULL
        AND providers.location_level IS NULL AND EXISTS (SELECT 1 FROM provider_sources s WHERE s.provider_id = providers.id)
        """

    /// Records the record as one more source of a provider another source loaded, and lends it
    /// what it knows better: a point of its own where the provider has none or a town's, its code.
    private static func joinSource(_ p: ProviderRecord, to join: (id: Int64, method: InstitutionJoin.Method), dataset: Int64, db: Database) throws {
        try db.cachedStatement(sql: """
            INSERT INTO provider_sources (provider_id, source, official_id, joined_by, source_line, dataset_id) VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT(source, official_id) DO UPDATE SET provider_id = excluded.provider_id, joined_by = excluded.joined_by,
                source_line = excluded.source_line, dataset_id = excluded.dataset_id
            """).execute(arguments: [join.id, p.source, p.officialID, join.method.rawValue, p.line, dataset])
        if let code = p.institutionCode {
            try db.cachedStatement(sql: "UPDATE providers SET institution_code = ? WHERE id = ? AND institution_code IS NULL").execute(arguments: [code, join.id])
        }
        if let point = p.location, p.locationLevel == nil {
            try db.cachedStatement(sql: """
                UPDATE providers SET location = MakePoint(?, ?, 4326), location_status = 'exact', location_level = NULL
                WHERE id = ? AND (location IS NULL OR location_level IS NOT NULL)
                """).execute(arguments: [point.lon, point.lat, join.id])
        }
    }

    private static func insertArea(_ a: ServiceAreaRecord, provider: Int64, dataset: Int64, db: Database) throws {
        switch a.rule {
        case .radius(let m):
            try db.cachedStatement(sql: "INSERT INTO service_areas (provider_id, service, rule, radius_m, dataset_id) VALUES (?, ?, 'radius', ?, ?)")
                .execute(arguments: [provider, a.service?.rawValue, m, dataset])
        case .municipalities(let codes):
            try db.cachedStatement(sql: "INSERT INTO service_areas (provider_id, service, rule, dataset_id) VALUES (?, ?, 'municipalities', ?)")
                .execute(arguments: [provider, a.service?.rawValue, dataset])
            let area = db.lastInsertedRowID
            let listed = try db.cachedStatement(sql: "INSERT INTO service_area_municipalities (area_id, municipality_code) VALUES (?, ?)")
            for c in Set(codes) { try listed.execute(arguments: [area, c]) }
        case .towns(let towns):
            try db.cachedStatement(sql: "INSERT INTO service_areas (provider_id, service, rule, dataset_id) VALUES (?, ?, 'towns', ?)")
                .execute(arguments: [provider, a.service?.rawValue, dataset])
            let area = db.lastInsertedRowID
            let listed = try db.cachedStatement(sql: "INSERT OR IGNORE INTO service_area_towns (area_id, municipality_code, town) VALUES (?, ?, ?)")
            for t in towns { try listed.execute(arguments: [area, t.municipalityCode, t.town]) }
        case .polygon(let g):
            try db.cachedStatement(sql: """
                INSERT INTO service_areas (provider_id, service, rule, dataset_id, area)
                SELECT ?, ?, 'polygon', ?,
                       \(repairedArea)
                FROM (SELECT SetSRID(GeomFromGeoJSON(?), 4326) AS g)
                """).execute(arguments: [provider, a.service?.rawValue, dataset, g.geoJSON])
        }
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

    /// Compares each provider's municipality with the boundary its point falls in: fills the code
    /// when the file gave none, and lists disagreements without changing them.
    private static func checkMunicipalities(dataset: Int64, file: String, db: Database, warnings: inout [ImportIssue]) throws {
        let boundaries = try MunicipalityLocator(db)
        guard !boundaries.isEmpty else {
            warnings.append(ImportIssue(file: file, "行政区域（boundaries）が未読込のため、市区町村コードと所在地の照合をしていません"))
            return
        }
        // Read through a cursor, four columns: a large load has hundreds of thousands of rows and
        // only a few to report, whose other columns are read afterwards.
        var unset: [(id: Int64, found: String)] = [], reported: [(id: Int64, given: String, found: String?)] = []
        let located = try Row.fetchCursor(db, sql: """
            SELECT id, municipality_code, X(location), Y(location)
            FROM providers
            WHERE dataset_id = ? AND location IS NOT NULL
              AND location_level IS NULL  -- a point geocoded from the address agrees with it by construction
            """, arguments: [dataset])
        while let row = try located.next() {
            let given: String? = row[1], found = boundaries.code(containing: GeoPoint(lon: row[2], lat: row[3]))
            switch (given, found) {
            case (nil, let found?): unset.append((row[0], found))
            case (let given?, let found?) where given != found: reported.append((row[0], given, found))
            case (let given?, nil) where boundaries.prefectures.contains(String(given.prefix(2))): reported.append((row[0], given, nil))
            default: break
            }
        }
        let fill = try db.cachedStatement(sql: "UPDATE providers SET municipality_code = ?, municipality_basis = 'point' WHERE id = ?")
        for u in unset { try fill.execute(arguments: [u.found, u.id]) }
        let named = try db.cachedStatement(sql: "SELECT source_line, official_id, name FROM providers WHERE id = ?")
        for r in reported {
            guard let row = try Row.fetchOne(named, arguments: [r.id]) else { continue }
            let line: Int = row[0], official: String = row[1], name: String = row[2]
            let message = r.found.map { "\(official) \(name): ファイルの市区町村 \(r.given) と所在地点の市区町村 \($0) が一致しません" }
                ?? "\(official) \(name): 所在地点が市区町村 \(r.given) を含むどの境界にも入りません"
            warnings.append(ImportIssue(file: file, line: line, column: "市区町村コード", message))
        }
    }
}
