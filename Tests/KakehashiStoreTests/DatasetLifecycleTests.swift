import Foundation
import GRDB
import KakehashiHours
import Testing
@testable import KakehashiStore

@Suite struct DatasetLifecycleTests {
    @Test func reimportingTheSameFileIsANoOp() throws {
        let dir = try Fixtures.scratch()
        let path = dir.appendingPathComponent("db.sqlite").path
        let file = try Fixtures.path("clinics/zaishishin_tokorozawa_iruma.csv")
        let db = try SpatialDatabase(path: path)
        let first = try DataImport.run(.zaishishin, files: [file], into: db)
        let again = try DataImport.run(.zaishishin, files: [file], into: db)
        #expect(first[0].status == .loaded)
        #expect(again[0].status == .unchanged)
        #expect(again[0].datasetID == first[0].datasetID)
        #expect(try db.datasets().count == 1)
        #expect(try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM providers") } == 39)
        try db.close()
    }

    @Test func dryRunChecksAndWritesNothing() throws {
        let dir = try Fixtures.scratch()
        let path = dir.appendingPathComponent("db.sqlite").path
        _ = try SpatialDatabase(path: path).close()
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let db = try SpatialDatabase(path: path)
        var options = ImportOptions()
        options.dryRun = true
        let report = try DataImport.run(.zaishishin, files: [Fixtures.path("clinics/zaishishin_tokorozawa_iruma.csv")], into: db, options: options)[0]
        #expect(report.status == .dryRun)
        #expect(report.rowsLoaded == 39)
        #expect(try db.datasets().isEmpty)
        try db.close()
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    /// A newer release replaces its source's rows, keeps other sources, keeps provider ids stable and
    /// keeps service areas that another dataset attached to providers still present.
    @Test func newerReleaseReplacesItsSource() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let lines = try BadInputTests.lines(BadInputTests.kaigo, count: 11)
        let v1 = try Fixtures.write(lines.joined(separator: "\n"), name: "jigyosho_130_v1.csv", in: dir)
        _ = try DataImport.run(.kaigo, files: [v1], into: db)
        _ = try DataImport.run(.zaishishin, files: [Fixtures.path("clinics/zaishishin_tokorozawa_iruma.csv")], into: db)
        let kept = "1166591044", dropped = "1166591085"
        let keptID = try db.reader.read { try Int64.fetchOne($0, sql: "SELECT id FROM providers WHERE official_id = ?", arguments: [kept]) }
        let areas = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"provider_source":"kaigo:130","provider":"\#(kept)","service":"home_visit_nursing"},"geometry":{"type":"Polygon","coordinates":[[[139.5,35.8],[139.7,35.8],[139.7,36.0],[139.5,35.8]]]}}]}"#
        _ = try DataImport.run(.providers, files: [Fixtures.write(areas, name: "areas.geojson", in: dir)], into: db)

        // v2: the first station gone, the second renamed.
        var v2lines = lines
        v2lines.remove(at: 1)
        v2lines[1] = v2lines[1].replacingOccurrences(of: "おおみや生協訪問看護ステーション", with: "おおみや生協訪問看護ステーション（新）")
        let v2 = try Fixtures.write(v2lines.joined(separator: "\n"), name: "jigyosho_130_v2.csv", in: dir)
        let report = try DataImport.run(.kaigo, files: [v2], into: db)[0]
        #expect(report.superseded.count == 1)

        try db.reader.read { db in
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE source = 'kaigo:130'") == 9)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE official_id = ?", arguments: [dropped]) == 0)
            let row = try #require(try Row.fetchOne(db, sql: "SELECT id, name FROM providers WHERE official_id = ?", arguments: [kept]))
            #expect(row["id"] as Int64? == keptID)
            #expect(row["name"] as String == "おおみや生協訪問看護ステーション（新）")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM service_areas WHERE provider_id = ? AND rule = 'polygon'", arguments: [keptID]) == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM provider_services WHERE provider_id = ?", arguments: [keptID]) == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE source = 'zaishishin'") == 39)
        }
        let list = try db.datasets()
        #expect(list.first { $0.fileName == "jigyosho_130_v1.csv" }?.supersededBy == report.datasetID)
        try db.close()
    }

    /// A missing municipality is taken from the boundary the point lies in; a disagreeing one is
    /// reported, not changed. A CSV file's points are placed while it is read (ProviderStream), a
    /// GeoJSON file's after it is written: the two must agree.
    @Test(arguments: ["csv", "geojson"]) func municipalityCheckedAgainstTheBoundary(format: String) throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.boundaries, files: [Fixtures.path(Fixtures.boundaries[0])], into: db)
        let rows = [
            ("P1", "所沢の薬局", 35.7994, 139.4689, ""),
            ("P2", "所沢だが川越と書かれた薬局", 35.7994, 139.4689, "11201"),
            ("P3", "所沢の薬局（正）", 35.7994, 139.4689, "11208"),
            ("P4", "東京駅前だが所沢と書かれた薬局", 35.6812, 139.7671, "11208"),
        ]
        let text = format == "csv"
            ? "id,name,kind,lat,lon,municipality_code\n" + rows.map { "\($0.0),\($0.1),pharmacy,\($0.2),\($0.3),\($0.4)\n" }.joined()
            : #"{"type":"FeatureCollection","features":["# + rows.map { r in
                #"{"type":"Feature","properties":{"id":"\#(r.0)","name":"\#(r.1)","kind":"pharmacy"\#(r.4.isEmpty ? "" : #","municipality_code":"\#(r.4)""#)},"#
                    + #""geometry":{"type":"Point","coordinates":[\#(r.3),\#(r.2)]}}"#
            }.joined(separator: ",\n") + "]}"
        let report = try DataImport.run(.providers, files: [Fixtures.write(text, name: "ph.\(format)", in: dir)], into: db)[0]
        // A CSV file's warnings name lines (the header is line 1), a GeoJSON file's its features.
        let (second, fourth) = format == "csv" ? (3, 5) : (2, 4)
        #expect(report.warnings.count == 2, "\(report.warnings)")
        #expect(report.warnings.first?.line == second && report.warnings.first?.unit == (format == "csv" ? nil : .feature))
        #expect(report.warnings.first?.message.contains("11201") == true)
        // Outside every loaded boundary, while its code names a loaded prefecture.
        #expect(report.warnings.last?.line == fourth)
        #expect(report.warnings.last?.message.contains("P4 東京駅前だが所沢と書かれた薬局: 所在地点が市区町村 11208 を含むどの境界にも入りません") == true)
        let loaded = try db.reader.read { try Row.fetchAll($0, sql: "SELECT official_id, municipality_code, municipality_basis FROM providers ORDER BY official_id") }
        #expect(loaded.map { $0["municipality_code"] as String } == ["11208", "11201", "11208", "11208"])
        #expect(loaded.map { $0["municipality_basis"] as String } == ["point", "file", "file", "file"])
        try db.close()
    }

    @Test func nationalTopoJSONAndTownsInTheAPILayout() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let topo = try DataImport.run(.boundaries, files: [Fixtures.path("boundaries/N03-21_210101_japan_s0001.topojson")], into: db)[0]
        #expect(topo.rowsRead == 1_897)
        let municipalities = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM municipalities") } ?? 0
        #expect(municipalities > 1_700)
        #expect(topo.rowsLoaded == municipalities)
        #expect(topo.referenceDate == "2021-01-01")
        let inside = try db.reader.read {
            try String.fetchOne($0, sql: "SELECT code FROM municipalities WHERE ST_Contains(boundary, MakePoint(139.4689, 35.7994, 4326)) = 1")
        }
        #expect(inside == "11208")  // 所沢市役所

        let towns = try DataImport.run(.towns, files: [Fixtures.path("towns/api/所沢市.json"), Fixtures.path("towns/api/柏市.json"), Fixtures.path("towns/api/豊島区.json")], into: db)
        #expect(towns.map(\.rowsLoaded) == [160, 322, 83])
        let code = try db.reader.read { try String.fetchOne($0, sql: "SELECT DISTINCT municipality_code FROM towns WHERE city = '柏市'") }
        #expect(code == "12217")
        try db.close()
    }

    @Test func demoRegionBuildsWithEveryKind() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("demo.sqlite").path)
        for (kind, files) in KakehashiDemoPlan.plan() {
            let reports = try DataImport.run(kind, files: files, into: db)
            #expect(reports.allSatisfy { $0.status == .loaded })
        }
        try db.reader.read { db in
            let kinds = try String.fetchAll(db, sql: "SELECT DISTINCT kind FROM providers ORDER BY 1")
            #expect(kinds == ["care_management_office", "clinic", "home_care_office", "hospital", "multi_service_office", "pharmacy", "visiting_nurse_station"])
            let services = try String.fetchAll(db, sql: "SELECT DISTINCT service FROM provider_services ORDER BY 1")
            #expect(Set(services).isSuperset(of: ["home_visit_medical", "home_visit_nursing", "home_care", "night_home_care", "regular_visit_24h", "care_management", "home_pharmacy"]))
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM providers") ?? 0 >= 200)
            #expect(try String.fetchAll(db, sql: "SELECT DISTINCT rule FROM service_areas ORDER BY 1") == ["municipalities", "polygon", "radius", "towns"])
            // The municipal totals are the sums of the mesh cells whose centre lies in them.
            let mismatch = try Int.fetchOne(db, sql: """
                SELECT count(*) FROM municipality_population p
                WHERE p.total != (SELECT sum(c.total) FROM mesh_population c, municipalities m
                                  WHERE m.code = p.code AND ST_Contains(m.boundary, ST_Centroid(c.cell)) = 1)
                """)
            #expect(mismatch == 0)
            // The 0,0 row of the 医療情報ネット file is kept and flagged, never placed.
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE source = 'iryo' AND location_status = 'unknown' AND location IS NULL") == 1)
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM provider_hours WHERE scope = 'outpatient' AND opening_hours LIKE '%PH off%'") == 40)
            // Every stored opening_hours — converted from 医療情報ネット columns and 利用可能曜日 text, or given — parses.
            for spec in try String.fetchAll(db, sql: "SELECT opening_hours FROM provider_hours WHERE opening_hours IS NOT NULL") {
                #expect(throws: Never.self) { try OpeningHours(spec) }
                // The converters write no rule that a later one hides, and no night a later weekday's rule cuts.
                let warnings = (try? OpeningHours(spec))?.warnings() ?? []
                #expect(!warnings.contains { $0.kind == .hiddenByLaterRule }, "\(spec)")
            }
        }
        try db.close()
    }
}
