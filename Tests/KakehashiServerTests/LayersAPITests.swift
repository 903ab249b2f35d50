import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// The layers, checked against numbers computed here independently from the fixture files.
@Suite struct LayersAPITests {
    typealias F = ServerFixture

    static func features(_ buffer: ByteBuffer) throws -> [String: [String: Any]] {
        let fc = try F.json(buffer)
        var byID: [String: [String: Any]] = [:]
        for f in fc["features"] as? [[String: Any]] ?? [] {
            if let id = f["id"] as? String { byID[id] = f["properties"] as? [String: Any] ?? [:] }
        }
        return byID
    }

    /// 在支診 per municipality, straight from the fixture CSV's jis_code column.
    static func zaishishinCount(_ code: String) throws -> Int {
        let text = try String(contentsOfFile: try F.path("clinics/zaishishin_tokorozawa_iruma.csv"), encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().filter { $0.split(separator: ",")[5] == Substring(code) }.count
    }

    @Test func municipalIndicatorsMatchTheFixtures() async throws {
        let (state, _, _) = try F.state()
        let clinics = try Self.zaishishinCount("11208")
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/layers/municipalities.geojson?service=home_visit_medical&window=tonight&date=2026-11-24", method: .get) { r in
                #expect(r.status == .ok)
                #expect(r.headers[.contentType]?.hasPrefix("application/geo+json") == true)
                let doc = try F.json(r.body)
                let datasets = doc["datasets"] as? [[String: Any]] ?? []
                #expect(datasets.contains { $0["file"] as? String == "municipal_elderly_2025_saitama_chiba_tokyo.csv" })
                #expect(datasets.contains { $0["file"] as? String == "mesh250m_2010_5339_population.csv" })
                // The boundaries behind the shapes are named too.
                #expect(datasets.contains { $0["source_kind"] as? String == "boundaries" && ($0["file"] as? String)?.hasPrefix("N03-21_11") == true })
                #expect((doc["indicators"] as? [[String: Any]])?.contains { $0["id"] as? String == "ratio_75_plus" && $0["unit"] as? String == "%" } == true)
                let byCode = try Self.features(r.body)
                let t = try #require(byCode["11208"])
                #expect((t["population_total"] as? NSNumber)?.intValue == 339_782)
                #expect((t["ratio_75_plus"] as? Double).map { abs($0 - 60_467.0 / 339_782.0 * 100) < 0.001 } == true)
                #expect((t["ratio_65_plus"] as? Double).map { abs($0 - 101_816.0 / 339_782.0 * 100) < 0.001 } == true)
                #expect((t["providers"] as? NSNumber)?.intValue == clinics)
                #expect((t["providers_per_1000_75_plus"] as? Double).map { abs($0 - Double(clinics) / 60_467 * 1000) < 0.001 } == true)
                // 所沢 lies in the mesh fixture and has 在支診: most of its elderly are covered tonight.
                #expect(((t["covered_75_plus_share"] as? Double) ?? 0) > 50)
                // 柏 is 30 km from every 在支診 of the fixture: nobody covers it.
                let k = try #require(byCode["12217"])
                #expect((k["covered_75_plus_share"] as? Double) == 0)
                #expect(((k["uncovered_75_plus"] as? NSNumber)?.intValue ?? 0) > 0)
            }
        }
    }

    @Test func csvMatchesGeoJSON() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var fromGeoJSON: [String: String] = [:]
            try await client.execute(uri: "/v1/layers/municipalities.geojson?indicator=ratio_75_plus", method: .get) { r in
                for (code, p) in try Self.features(r.body) {
                    if let v = p["ratio_75_plus"] as? Double { fromGeoJSON[code] = String(format: "%.4f", v) }
                }
            }
            try await client.execute(uri: "/v1/layers/municipalities.csv?indicator=ratio_75_plus", method: .get) { r in
                #expect(r.headers[.contentType]?.hasPrefix("text/csv") == true)
                let lines = String(buffer: r.body).split(separator: "\n")
                // The year and kind of the population figures stay beside the indicator (issue #21).
                #expect(lines.first == "code,name,prefecture,population_year,population_kind,ratio_75_plus")
                var matched = 0
                for line in lines.dropFirst() {
                    let f = line.split(separator: ",", omittingEmptySubsequences: false)
                    #expect(f[3] == "2025" && f[4] == "estimate")
                    guard let v = Double(f[5]) else { continue }
                    #expect(String(format: "%.4f", v) == fromGeoJSON[String(f[0])])
                    matched += 1
                }
                #expect(matched == 193)
            }
        }
    }

    /// The 2010 mesh fixture has no age bands: 75+ is apportioned by the municipality's ratio, and
    /// says so.
    @Test func meshElderlyIsEstimatedAndLabelled() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/layers/meshes.geojson?bbox=139.50,35.78,139.55,35.83&service=home_visit_medical&date=2026-11-24", method: .get) { r in
                let cells = try Self.features(r.body)
                #expect(cells.count > 50)
                let tokorozawa = cells.values.filter { $0["municipality_code"] as? String == "11208" }
                #expect(!tokorozawa.isEmpty)
                for c in tokorozawa {
                    #expect(c["estimated"] as? Bool == true)
                    let total = Double((c["population_total"] as? NSNumber)?.intValue ?? 0)
                    let expected = total * 60_467 / 339_782
                    #expect(abs(((c["population_75_plus"] as? Double) ?? -1) - expected) < 0.001)
                }
                #expect(tokorozawa.contains { $0["covered"] as? Bool == true })
                #expect(cells.values.allSatisfy { ($0["gap"] as? Bool) == false || ($0["covered"] as? Bool) == false })
            }
            try await client.execute(uri: "/v1/layers/rivers.geojson", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/v1/layers/meshes.geojson?indicator=happiness", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/v1/indicators", method: .get) { r in
                let list = try F.json(r.body)["indicators"] as? [[String: Any]] ?? []
                #expect(list.count >= 10)
                #expect(list.allSatisfy { !($0["name"] as? String ?? "").isEmpty && !($0["definition"] as? String ?? "").isEmpty })
            }
        }
    }
}
