import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiGeo
import KakehashiServer
import KakehashiStore
import KakehashiTestSupport
import Testing

/// The 二次医療圏 layer (issue #21), against sums worked out here from the fixture files.
@Suite struct PlanningAreaAPITests {
    typealias F = ServerFixture

    /// A CSV fixture as rows of column → value.
    static func table(_ relative: String) throws -> [[String: String]] {
        let lines = try String(contentsOfFile: try F.path(relative), encoding: .utf8).split(whereSeparator: \.isNewline)
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
    }

    @Test func areaFiguresAreTheSumsOfTheirMunicipalities() async throws {
        let areas = try Self.table("planning/iryoken2_municipalities_11_12_13.csv")
        let population = try Self.table("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")
        // 所沢市's area and its members, from the fixture.
        let code = try #require(areas.first { $0["muni_code"] == "11208" }?["area_code"])
        let members = Set(areas.filter { $0["area_code"] == code }.compactMap { $0["muni_code"] })
        let rows = population.filter { members.contains($0["code"] ?? "") }
        #expect(rows.count == members.count && members.count > 3)
        let total = rows.reduce(0) { $0 + Int($1["pop_total_2025"]!)! }, old = rows.reduce(0) { $0 + Int($1["elderly_75_2025"]!)! }
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var providers: [String: Int] = [:]
            try await client.execute(uri: "/v1/layers/municipalities.csv?service=home_visit_nursing&indicator=providers", method: .get) { r in
                for row in PopulationYearAPITests.rows(r.body).values { providers[row["code"]!] = Int(row["providers"]!) }
            }
            try await client.execute(uri: "/v1/layers/medical_areas.csv?service=home_visit_nursing", method: .get) { r in
                #expect(r.status == .ok)
                let area = try #require(PopulationYearAPITests.rows(r.body)[code])
                #expect(area["municipalities"] == String(members.count))
                #expect(Set(area["municipality_codes"]!.split(separator: " ").map(String.init)) == members)
                #expect(area["population_total"] == String(total) && area["population_75_plus"] == String(old))
                // The ratio of the sums, not the mean of the members' ratios.
                #expect(Double(area["ratio_75_plus"]!).map { abs($0 - Double(old) / Double(total) * 100) < 0.0001 } == true)
                #expect(area["providers"] == String(members.reduce(0) { $0 + (providers[$1] ?? 0) }))
                #expect(Int(area["providers"]!)! > 0)
                #expect(area["population_year"] == "2025" && area["population_kind"] == "estimate")
            }
            // MHLW's 在宅（訪問診療）demand of the 構想区域 with the same code: 2024's actual beside 2025's
            // population, the projection of 2040 beside 2040's.
            try await client.execute(uri: "/v1/layers/medical_areas.csv?indicator=home_visit_demand", method: .get) { r in
                let west = PopulationYearAPITests.rows(r.body)["1107"]
                #expect(west?["home_visit_demand"] == "8199.75" && west?["home_visit_demand_year"] == "2024" && west?["home_visit_demand_kind"] == "actual")
            }
            try await client.execute(uri: "/v1/layers/medical_areas.csv?indicator=home_visit_demand&year=2040", method: .get) { r in
                let west = PopulationYearAPITests.rows(r.body)["1107"]
                #expect(west?["home_visit_demand"] == "13664.6957" && west?["home_visit_demand_year"] == "2040")
                #expect(west?["home_visit_demand_kind"] == "projection" && west?["population_kind"] == "projection")
            }
            // The prefectures: sums of their municipalities, as the projection file's prefecture rows for 2040.
            try await client.execute(uri: "/v1/layers/prefectures.csv?indicator=population_65_plus&year=2040", method: .get) { r in
                #expect(r.status == .ok)
                let all = PopulationYearAPITests.rows(r.body)
                let file = try Self.table("planning/ipss2023_projection_11_12_13.csv").filter { $0["year"] == "2040" && $0["kind"] == "a" }
                #expect(all.count == 3 && file.count == 3)
                for p in file { #expect(all[p["code"]!]?["population_65_plus"] == p["pop_65plus"], "\(p["code"]!)") }
                #expect(all["11000"]?["municipalities"] == "72" && all["11000"]?["name"] == "埼玉県")
            }
            // 32 areas of the three prefectures, every municipality in exactly one.
            try await client.execute(uri: "/v1/layers/medical_areas.csv?indicator=population_total", method: .get) { r in
                let all = PopulationYearAPITests.rows(r.body)
                #expect(all.count == Set(areas.compactMap { $0["area_code"] }).count)
                #expect(all.values.reduce(0) { $0 + Int($1["municipalities"]!)! } == areas.count)
            }
        }
    }

    @Test func anAreasOutlineHoldsEachOfItsMunicipalitiesAndNothingElse() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var shapes: [String: Geometry] = [:]
            try await client.execute(uri: "/v1/layers/municipalities.geojson?indicator=population_total", method: .get) { r in
                for f in (try F.json(r.body))["features"] as? [[String: Any]] ?? [] {
                    shapes[f["id"] as! String] = try GeoJSONReader.geometry(f["geometry"]!)
                }
            }
            try await client.execute(uri: "/v1/layers/medical_areas.geojson?indicator=population_total", method: .get) { r in
                let features = (try F.json(r.body))["features"] as? [[String: Any]] ?? []
                let area = try #require(features.first { ($0["properties"] as? [String: Any])?["name"] as? String == "西部" })
                let outline = try GeoJSONReader.geometry(area["geometry"]!)
                let members = ((area["properties"] as? [String: Any])?["municipality_codes"] as? String ?? "").split(separator: " ").map(String.init)
                #expect(members.contains("11208"))
                // A grid over the area's box: a point in a member is in the outline, and a point in
                // the outline is in a member.
                let pts = outline.allPoints
                let (w, s, e, n) = (pts.map(\.lon).min()!, pts.map(\.lat).min()!, pts.map(\.lon).max()!, pts.map(\.lat).max()!)
                var inside = 0
                for i in 0..<60 {
                    for j in 0..<60 {
                        let p = GeoPoint(lon: w + (e - w) * (Double(i) + 0.5) / 60, lat: s + (n - s) * (Double(j) + 0.5) / 60)
                        let inMember = members.contains { shapes[$0]?.contains(p) == true }
                        #expect(inMember == outline.contains(p), "\(p)")
                        if inMember { inside += 1 }
                    }
                }
                #expect(inside > 500)
            }
        }
    }

    /// A prefecture whose 地域医療構想区域 differ from its 二次医療圏: 埼玉's 西部 (1107) drawn as two
    /// 構想区域 here, 1107 (所沢市・狭山市) and 1190 (the rest). MHLW's demand of 構想区域 1107 goes to that
    /// 構想区域, not to the larger 二次医療圏 of the same code; 千葉's coincide and keep theirs on both.
    @Test func conceptAreasThatDifferFromTheMedicalAreasCarryTheDemand() async throws {
        let (state, _, path) = try F.state()
        let lines = try String(contentsOfFile: try F.path("planning/iryoken2_municipalities_11_12_13.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).map(String.init)
        var rows = [lines[0] + ",concept_code,concept_name"]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let concept = f[4] != "11" ? ",," : f[2] != "1107" ? ",\(f[2]),\(f[3])" : ["11208", "11215"].contains(f[0]) ? ",1107,西部（所沢・狭山）" : ",1190,西部（その他）"
            rows.append(line + concept)
        }
        let dir = try TestFixtures.scratch("concept")
        let file = dir.appendingPathComponent("iryoken2_municipalities_11_12_13.csv")
        try Data((rows.joined(separator: "\n") + "\n").utf8).write(to: file)
        let db = try SpatialDatabase(path: path)
        _ = try DataImport.run(.medicalAreas, files: [file.path], into: db)
        try db.close()
        _ = try state.reloadIfChanged()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/layers/concept_areas.csv?indicator=home_visit_demand", method: .get) { r in
                #expect(r.status == .ok)
                let areas = PopulationYearAPITests.rows(r.body)
                #expect(areas["1107"]?["municipality_codes"] == "11208 11215" && areas["1107"]?["home_visit_demand"] == "8199.75")
                #expect(areas["1190"]?["municipalities"] == "3" && areas["1190"]?["home_visit_demand"] == "")
                #expect(areas.values.contains { $0["prefecture"] == "千葉県" && $0["home_visit_demand"] != "" })
            }
            try await client.execute(uri: "/v1/layers/medical_areas.csv?indicator=home_visit_demand", method: .get) { r in
                let areas = PopulationYearAPITests.rows(r.body)
                #expect(areas["1107"]?["municipalities"] == "5" && areas["1107"]?["home_visit_demand"] == "")
                #expect(areas.values.contains { $0["prefecture"] == "千葉県" && $0["home_visit_demand"] != "" })
            }
            try await client.execute(uri: "/v1/trends/11208.json", method: .get) { r in
                let trend = try F.json(r.body)
                let demand = trend["demand"] as? [[String: Any]] ?? []
                #expect(!demand.isEmpty && demand.allSatisfy { $0["area_code"] as? String == "1107" && $0["area_name"] as? String == "西部（所沢・狭山）" })
                let medical = (trend["rows"] as? [[String: Any]] ?? []).filter { $0["level"] as? String == "medical_area" }
                #expect(!medical.isEmpty && medical.allSatisfy { ($0["values"] as? [String: Any])?["home_visit_demand"] is NSNull })
            }
        }
    }
}
