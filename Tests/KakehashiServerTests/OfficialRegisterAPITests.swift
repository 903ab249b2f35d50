import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import KakehashiGeo
import KakehashiServer
import KakehashiStore
import KakehashiTestSupport
import Logging
import Testing

/// The 厚生局 名簿 behind the lookup and the planner's layers (issue #18): 埼玉's boundaries,
/// towns and population with the real 医科 名簿, and nothing else that could give a capability.
@Suite struct OfficialRegisterAPITests {
    static let meibo = "todokede/todokede_ika_11_saitama_r0710.xlsx"

    static let base: Result<String, any Error> = Result {
        let path = try TestFixtures.scratch("register").appendingPathComponent("register.sqlite").path
        let db = try SpatialDatabase(path: path)
        _ = try DataImport.run(.boundaries, files: [TestFixtures.path("boundaries/N03-21_11_210101_s0010.geojson")], into: db)
        _ = try DataImport.run(.towns, files: [TestFixtures.path("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.population, files: [TestFixtures.path("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        _ = try DataImport.run(.todokede, files: [TestFixtures.path(meibo)], into: db)
        try db.close()
        return path
    }

    static func state() throws -> AppState {
        let dir = try TestFixtures.scratch("register")
        let path = dir.appendingPathComponent("db.sqlite").path
        try SpatialDatabase.copyFiles(from: try base.get(), to: path)
        let tokens = dir.appendingPathComponent("tokens").path
        try Data("# name sha256\n".utf8).write(to: URL(fileURLWithPath: tokens))
        return try AppState(database: try SpatialDatabase(path: path, access: .server), tokens: try TokenRegistry(path: tokens))
    }

    /// 所沢市並木, tonight.
    static let point = GeoPoint(lon: 139.4730, lat: 35.7870)

    @Test func tonightsHomeVisitsComeFromTheRegister() async throws {
        let state = try Self.state()
        // Independently: every institution with a 在支診 or 在支病 届出, placed within 16 km of the point.
        let expected = try await state.database.reader.read { db in
            try Row.fetchAll(db, sql: """
                SELECT p.id, X(p.location) AS x, Y(p.location) AS y FROM providers p
                WHERE p.location IS NOT NULL AND EXISTS (SELECT 1 FROM provider_notices n WHERE n.provider_id = p.id
                      AND (n.code LIKE '支援診%' OR n.code LIKE '支援病%'))
                """).filter { Geodesic.distance(GeoPoint(lon: $0["x"], lat: $0["y"]), Self.point) <= 16_000 }.map { $0["id"] as Int64 }
        }
        #expect(expected.count > 50)
        try await ServerFixture.app(state).test(.router) { client in
            let uri = "/v1/coverage?lat=\(Self.point.lat)&lon=\(Self.point.lon)&service=home_visit_medical&window=tonight&limit=200"
            try await client.execute(uri: uri, method: .get) { r in
                #expect(r.status == .ok)
                let doc = try ServerFixture.json(r.body)
                let results = doc["results"] as? [[String: Any]] ?? []
                let covered = results.filter { $0["status"] as? String == "covered" }
                #expect(Set(covered.compactMap { ($0["provider_id"] as? NSNumber)?.int64Value }) == Set(expected))
                for e in covered {
                    let registration = e["registration"] as? [String: Any]
                    #expect(["home_support_clinic", "home_support_hospital"].contains(registration?["capability"] as? String))
                    #expect((registration?["notice_number"] as? String)?.hasPrefix("第") == true && registration?["since"] is String)
                    #expect(e["basis"] as? String == "capability" && e["location_level"] as? String == "town")
                    let sources = e["sources"] as? [[String: Any]] ?? []
                    #expect(sources.contains { $0["file"] as? String == "todokede_ika_11_saitama_r0710.xlsx" && $0["reference_date"] as? String == "2025-09-01" })
                }
                // Clinics with 在医総管 only visit by day: listed, but unknown tonight.
                #expect(results.contains { $0["status"] as? String == "unknown" && $0["registration"] == nil })
            }
            let admission = "/v1/coverage?lat=\(Self.point.lat)&lon=\(Self.point.lon)&service=backup_admission&window=tonight&limit=200"
            try await client.execute(uri: admission, method: .get) { r in
                let results = (try ServerFixture.json(r.body))["results"] as? [[String: Any]] ?? []
                #expect(!results.isEmpty && results.allSatisfy { ($0["area"] as? [String: Any])?["rule"] as? String == "search_radius" })
                // 在宅療養後方支援病院 first, then 在宅療養支援病院, each nearest first.
                let capabilities = results.map { ($0["registration"] as? [String: Any])?["capability"] as? String }
                let backup = capabilities.prefix { $0 == "home_backup_hospital" }.count
                #expect(backup > 0 && capabilities.dropFirst(backup).allSatisfy { $0 == "home_support_hospital" }, "\(capabilities)")
                #expect(capabilities.dropFirst(backup).count > 0)
                for part in [results.prefix(backup), results.dropFirst(backup)] {
                    let distances = part.compactMap { $0["distance_m"] as? Double }
                    #expect(distances.count == part.count && distances == distances.sorted(), "nearest first")
                }
            }
        }
    }

    /// 在支診 per municipality as 見える化 shows them, against the workbook's own rows.
    @Test func registeredClinicsPerMunicipality() async throws {
        let book = try Workbook(data: try Data(contentsOf: URL(fileURLWithPath: try TestFixtures.path(Self.meibo))), file: "ika")
        var tokorozawa = Set<String>()
        for row in book.sheets[0].rows where row.line >= 5 && row.fields[9].hasPrefix("所沢市") && row.fields[14].hasPrefix("支援診") {
            tokorozawa.insert(row.fields[4])
        }
        let state = try Self.state(), clinics = tokorozawa.count
        try await ServerFixture.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/layers/municipalities.geojson?service=home_visit_medical", method: .get) { r in
                let features = (try ServerFixture.json(r.body))["features"] as? [[String: Any]] ?? []
                let t = try #require(features.first { $0["id"] as? String == "11208" }?["properties"] as? [String: Any])
                #expect((t["home_support_clinics"] as? NSNumber)?.intValue == clinics)
                #expect((t["home_support_clinics_per_1000_75_plus"] as? Double).map { abs($0 - Double(clinics) / 60_467 * 1000) < 0.001 } == true)
            }
        }
    }
}
