import CSpatiaLite
import Foundation
import GRDB
import KakehashiGeo
import KakehashiModel

/// The writing of providers: each record is upserted by its source and official ID, or joined to
/// the provider another source loaded; then its services, capabilities, 届出, hours and areas.
extension DatasetWriter {
    /// Returns the providers written and, per dataset slot, the facts written on its behalf.
    static func writeProviders(_ part: ParsedDataset, datasets: [Int64], db: Database, warnings: inout [ImportIssue],
                               rejected: inout [ImportIssue], tick: () -> Void) throws -> (Int, [Int: Int]) {
        guard part.providerCount > 0 else { return (0, [:]) }
        let dataset = datasets[0]
        let statements = try ProviderStatements(db)
        var facts: [Int: Int] = [:], joinCandidates: [ImportIssue] = [], placement: [ImportIssue] = []
        var ids = try ProviderIDs(db)
        var written = 0
        // A streamed file's points are placed in the boundaries on the reading thread; other
        // providers are checked once written (checkMunicipalities).
        let boundaries = try MunicipalityLocator(db)
        let placedWhileRead = part.providerStream != nil && part.providers.isEmpty && !boundaries.isEmpty
        if placedWhileRead { part.providerStream?.place(in: boundaries) }
        let file = part.file.name
        func store(_ p: ProviderRecord) throws {
            // Match keys only for the sources that are joined (the native format never is).
            let keys = InstitutionJoin.joins(p.source) ? InstitutionJoin.Keys(p) : nil
            let id: Int64
            if let keys, let join = try InstitutionJoin.target(for: p, keys: keys, db: db) {
                id = join.id
                try joinSource(p, to: join, dataset: dataset, db: db)
            } else {
                guard let new = try statements.upsert(p, id: ids.next, keys: keys, placed: placedWhileRead, dataset: dataset) else { return }
                id = new
                ids.noteReturned(new)
                if let keys { joinCandidates += try InstitutionJoin.candidates(for: p, keys: keys, file: file, db: db) }
                if placedWhileRead, p.location != nil, p.locationLevel == nil, let given = p.municipalityCode,
                   boundaries.contradicts(given, found: p.boundaryMunicipality) {
                    placement.append(municipalityDisagreement(given: given, found: p.boundaryMunicipality, file: file,
                                                              line: p.line, official: p.officialID, name: p.name))
                }
            }
            try statements.writeFacts(of: p, id: id, datasets: datasets, counted: &facts)
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
        if placedWhileRead {
            warnings += placement
        } else if written > 0 {
            try checkMunicipalities(boundaries, dataset: dataset, file: file, unit: part.lineUnit, db: db, warnings: &warnings)
        }
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

    /// Writes one service area of a provider: a radius, listed municipalities or towns, or a polygon.
    static func insertArea(_ a: ServiceAreaRecord, provider: Int64, dataset: Int64, db: Database) throws {
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

    /// Compares each provider's municipality with the boundary its point falls in: fills the code
    /// when the file gave none, and lists disagreements without changing them.
    private static func checkMunicipalities(_ boundaries: MunicipalityLocator, dataset: Int64, file: String,
                                            unit: ImportIssue.PositionUnit?, db: Database, warnings: inout [ImportIssue]) throws {
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
            if let given {
                if boundaries.contradicts(given, found: found) { reported.append((row[0], given, found)) }
            } else if let found {
                unset.append((row[0], found))
            }
        }
        let fill = try db.cachedStatement(sql: "UPDATE providers SET municipality_code = ?, municipality_basis = 'point' WHERE id = ?")
        for u in unset { try fill.execute(arguments: [u.found, u.id]) }
        let named = try db.cachedStatement(sql: "SELECT source_line, official_id, name FROM providers WHERE id = ?")
        for r in reported {
            guard let row = try Row.fetchOne(named, arguments: [r.id]) else { continue }
            var issue = municipalityDisagreement(given: r.given, found: r.found, file: file, line: row[0], official: row[1], name: row[2])
            issue.unit = unit
            warnings.append(issue)
        }
    }

    /// The warning for a municipality in the file that the point's boundary contradicts.
    static func municipalityDisagreement(given: String, found: String?, file: String, line: Int, official: String, name: String) -> ImportIssue {
        let message = found.map { "\(official) \(name): ファイルの市区町村 \(given) と所在地点の市区町村 \($0) が一致しません" }
            ?? "\(official) \(name): 所在地点が市区町村 \(given) を含むどの境界にも入りません"
        return ImportIssue(file: file, line: line, column: "市区町村コード", message)
    }
}

/// The statements a load of providers runs for each record, prepared once.
private struct ProviderStatements {
    let upsert, existing, service, capability, notice, hours: Statement
    let db: Database

    init(_ db: Database) throws {
        self.db = db
        upsert = try db.cachedStatement(sql: """
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
                location_status = CASE WHEN \(DatasetWriter.keepsLentPoint) THEN providers.location_status ELSE excluded.location_status END,
                location_level = CASE WHEN \(DatasetWriter.keepsLentPoint) THEN providers.location_level ELSE excluded.location_level END,
                location = CASE WHEN \(DatasetWriter.keepsLentPoint) THEN providers.location ELSE excluded.location END,
                match_name = excluded.match_name, match_address = excluded.match_address, match_phone = excluded.match_phone
            """)
        existing = try db.cachedStatement(sql: "SELECT id FROM providers WHERE source = ? AND official_id = ?")
        service = try db.cachedStatement(sql: "INSERT OR REPLACE INTO provider_services (provider_id, service, dataset_id) VALUES (?, ?, ?)")
        capability = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO provider_capabilities (provider_id, capability, detail, notice_number, since, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?)
            """)
        notice = try db.cachedStatement(sql: """
            INSERT INTO provider_notices (provider_id, code, name, notice_number, since, remarks, source_line, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        hours = try db.cachedStatement(sql: """
            INSERT INTO provider_hours (provider_id, service, scope, label, opening_hours, source_text, dataset_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
    }

    /// Inserts the provider, or updates the one its source loaded before; returns its id. With
    /// `placed`, a point the reading placed names the municipality the file left out ('point'),
    /// as checkMunicipalities would afterwards.
    ///
    /// Not `RETURNING id`, which SQLite answers through a temporary table made for every row: the
    /// last inserted rowid, cleared first, is the proposed id only when the row was inserted
    /// (triggers restore it when they end); an update reads the id by the source's key.
    func upsert(_ p: ProviderRecord, id: Int64, keys: InstitutionJoin.Keys?, placed: Bool, dataset: Int64) throws -> Int64? {
        let pointMunicipality = placed && p.municipalityCode == nil ? p.boundaryMunicipality : nil
        sqlite3_set_last_insert_rowid(db.sqliteConnection, 0)
        try upsert.execute(arguments: [
            id, p.source, p.officialID, p.kind.rawValue, p.name, p.kana, p.address, p.building, p.municipalityCode ?? pointMunicipality,
            p.municipalityCode != nil ? "file" : pointMunicipality == nil ? nil : "point",
            p.location == nil ? LocationStatus.unknown.rawValue : LocationStatus.exact.rawValue,
            p.phone, p.fax, p.email, p.url, p.preferredContact?.rawValue, p.corporation, dataset, p.line,
            p.locationLevel, p.institutionCode, keys?.name, keys?.address, keys?.phone, p.location?.lon, p.location?.lat,
        ])
        if db.lastInsertedRowID == id { return id }
        return try Int64.fetchOne(existing, arguments: [p.source, p.officialID])
    }

    /// Writes what the record says of provider `id`; counts the hours per dataset slot they are written for.
    func writeFacts(of p: ProviderRecord, id: Int64, datasets: [Int64], counted: inout [Int: Int]) throws {
        let dataset = datasets[0]
        for s in p.services { try service.execute(arguments: [id, s.rawValue, dataset]) }
        for c in p.capabilities {
            try capability.execute(arguments: [id, c.capability.rawValue, c.detail, c.noticeNumber, c.since, dataset])
        }
        for n in p.notices {
            try notice.execute(arguments: [id, n.code, n.name, n.number, n.since, n.remarks, n.line, dataset])
        }
        for h in p.hours {
            try hours.execute(arguments: [id, h.service?.rawValue, h.scope.rawValue, h.label, h.openingHours, h.sourceText, datasets[h.datasetSlot]])
            counted[h.datasetSlot, default: 0] += 1
        }
        for a in p.areas { try DatasetWriter.insertArea(a, provider: id, dataset: dataset, db: db) }
    }
}
