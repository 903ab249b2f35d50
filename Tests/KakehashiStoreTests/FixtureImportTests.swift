import Foundation
import GRDB
import KakehashiGeo
import Testing
@testable import KakehashiStore

@Suite struct FixtureImportTests {
    @Test func tokorozawaPopulation() throws {
        let db = try Fixtures.loadedDatabase()
        let row = try #require(try db.reader.read { try Row.fetchOne($0, sql: "SELECT * FROM municipality_population WHERE code = '11208'") })
        #expect(row["reference_year"] as Int == 2025)
        #expect(row["total"] as Int == 339_782)
        #expect(row["age_65_plus"] as Int == 101_816)
        #expect(row["age_75_plus"] as Int == 60_467)
        #expect(try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM municipality_population") } == 193)
    }

    @Test func boundariesGroupedByCode() throws {
        let db = try Fixtures.loadedDatabase()
        let counts = try db.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT prefecture_code, count(*) AS n FROM municipalities GROUP BY prefecture_code ORDER BY 1")
                .map { "\($0["prefecture_code"] as String)=\($0["n"] as Int)" }
        }
        // 72/60/63 features less one 所属未定地 each in Chiba and Tokyo.
        #expect(counts == ["11=72", "12=59", "13=62"])
        let ward = try #require(try db.reader.read { try Row.fetchOne($0, sql: "SELECT name, city, ward FROM municipalities WHERE code = '11101'") })
        #expect(ward["name"] as String == "さいたま市西区")
        #expect(ward["ward"] as String == "西区")
        let valid = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM municipalities WHERE ST_IsValid(boundary) = 1") }
        #expect(valid == 193)
    }

    /// The stations inside 柏市's polygon, counted by SpatiaLite and by an independent
    /// even–odd test over the fixture files themselves.
    @Test func visitingNurseStationsInKashiwa() throws {
        let db = try Fixtures.loadedDatabase()
        let spatialite = try db.reader.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM providers p JOIN provider_services s ON s.provider_id = p.id, municipalities m
                WHERE s.service = 'home_visit_nursing' AND m.code = '12217' AND ST_Contains(m.boundary, p.location) = 1
                """)
        }
        let features = try GeoJSONReader.features(from: Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("boundaries/N03-21_12_210101_s0010.geojson"))))
        let kashiwa = features.filter { $0.properties["N03_007"]?.text == "12217" }.compactMap(\.geometry)
        let table = try CSVTable(text: try Fixtures.text("kaigo/jigyosho_130_saitama_chiba_tokyo.csv").replacingOccurrences(of: "\u{FEFF}", with: ""), file: "130")
        let lat = try #require(table.column(["緯度"])), lon = try #require(table.column(["経度"]))
        let independent = table.rows.filter { row in
            guard let y = Double(row.fields[lat]), let x = Double(row.fields[lon]) else { return false }
            return kashiwa.contains { $0.contains(GeoPoint(lon: x, lat: y)) }
        }.count
        #expect(spatialite == independent)
        #expect(spatialite == 58)
    }

    @Test func kaigoProvidersAndPlaceholders() throws {
        let db = try Fixtures.loadedDatabase()
        let (nursing, care, unknown, filledFromPoint) = try db.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE source = 'kaigo:130'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE source = 'kaigo:430'"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE location_status = 'unknown' AND location IS NULL"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM providers WHERE municipality_basis = 'point'"))
        }
        #expect(nursing == 3_161)
        #expect(care == 6_274)
        // The out-of-Japan geocoder placeholders are kept, unplaced, never at 0,0.
        #expect((unknown ?? 0) > 0)
        #expect(try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM providers WHERE X(location) = 0") } == 0)
        // Rows without a municipality code get the one of the boundary they lie in (14 rows of the 130
        // file have none; most of those lie outside the three prefectures and stay without).
        _ = filledFromPoint
        let placedWithoutCode = try db.reader.read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM providers p WHERE p.municipality_code IS NULL AND p.location IS NOT NULL
                AND EXISTS (SELECT 1 FROM municipalities m WHERE ST_Contains(m.boundary, p.location) = 1)
                """)
        }
        #expect(placedWithoutCode == 0)
        let report = try #require(try db.datasets().first { $0.fileName == "jigyosho_130_saitama_chiba_tokyo.csv" })
        #expect(report.rowsRead == 3_161)
        #expect(report.rowsLoaded == 3_161)
        #expect(report.rowsRejected == 0)
    }

    @Test func zaishishinCarriesTheCapability() throws {
        let db = try Fixtures.loadedDatabase()
        let rows = try db.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.name, c.capability, c.detail FROM providers p JOIN provider_capabilities c ON c.provider_id = p.id
                WHERE p.source = 'zaishishin'
                """)
        }
        #expect(rows.count == 39)
        let yoshikawa = try #require(rows.first { ($0["name"] as String).contains("よしかわクリニック") })
        #expect(yoshikawa["capability"] as String == "home_support_clinic")
        #expect(yoshikawa["detail"] as String == "standard")
        let services = try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM provider_services s JOIN providers p ON p.id = s.provider_id WHERE p.source = 'zaishishin' AND s.service = 'home_visit_medical'") }
        #expect(services == 39)
    }

    @Test func meshCellsAndTowns() throws {
        let db = try Fixtures.loadedDatabase()
        let (cells, size, towns, placed) = try db.reader.read { db in
            (try Int.fetchOne(db, sql: "SELECT count(*) FROM mesh_population"),
             try Int.fetchOne(db, sql: "SELECT DISTINCT cell_size_m FROM mesh_population"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM towns"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM towns WHERE point IS NOT NULL"))
        }
        #expect(cells == 41_021)
        #expect(size == 250)
        #expect(towns == 16_613)
        #expect(placed == 16_613 - 56)
        // The first fixture cell and its polygon.
        let cell = try #require(try db.reader.read { try Row.fetchOne($0, sql: "SELECT total, MbrMinY(cell) AS s, MbrMinX(cell) AS w FROM mesh_population WHERE mesh_code = '5339030011'") })
        #expect(cell["total"] as Int == 1037)
        let expected = try #require(MeshCode("5339030011")).bounds
        #expect(abs((cell["s"] as Double) - expected.minLat) < 1e-9)
        #expect(abs((cell["w"] as Double) - expected.minLon) < 1e-9)
    }

    @Test func spatialiteCLIReadsTheDatabase() throws {
        let path = try Fixtures.loaded.get()
        let out = try Shell.run("spatialite", [path, "SELECT CheckSpatialMetaData(); SELECT count(*) FROM geometry_columns;"])
        let lines = out.split(separator: "\n").map(String.init).filter { !$0.isEmpty && Int($0) != nil }
        #expect(lines.first == "3")   // 3 = current SpatiaLite layout
        #expect(lines.last == "5")    // municipalities, mesh_population, towns, providers, service_areas
    }
}

enum Shell {
    struct Failure: Error, CustomStringConvertible {
        var status: Int32 = 1
        var standardError = ""
        let description: String
    }

    static func run(_ tool: String, _ args: [String], input: Data? = nil) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = [tool] + args
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        p.standardOutput = out
        p.standardError = err
        if input != nil { p.standardInput = inPipe }
        try p.run()
        if let input { inPipe.fileHandleForWriting.write(input); try inPipe.fileHandleForWriting.close() }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let text = String(decoding: errData, as: UTF8.self)
            throw Failure(status: p.terminationStatus, standardError: text, description: "\(tool) exited \(p.terminationStatus): \(text)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
