import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// `GET /v1/compare/{code}` (issue #21), against numbers worked out here from the fixture files.
@Suite struct ComparisonAPITests {
    typealias F = ServerFixture

    /// 75+ per 100 people of the rows together.
    static func ratio(_ rows: [[String: String]]) -> Double {
        Double(rows.reduce(0) { $0 + Int($1["elderly_75_2025"]!)! }) / Double(rows.reduce(0) { $0 + Int($1["pop_total_2025"]!)! }) * 100
    }

    @Test func aMunicipalityBesideItsPrefectureAreaAndPeers() async throws {
        let ratio = Self.ratio
        let population = try PlanningAreaAPITests.table("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")
        let areas = try PlanningAreaAPITests.table("planning/iryoken2_municipalities_11_12_13.csv")
        let saitama = population.filter { $0["code"]!.hasPrefix("11") }
        let westCode = areas.first { $0["muni_code"] == "11208" }!["area_code"]!
        let west = Set(areas.filter { $0["area_code"] == westCode }.map { $0["muni_code"]! })
        // Peers: municipalities of over 100,000 people, as 所沢市 (339,782).
        let peers = population.filter { Int($0["pop_total_2025"]!)! > 100_000 }.map { ratio([$0]) }
        let mine = ratio(population.filter { $0["code"] == "11208" })
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/compare/11208?indicator=ratio_75_plus", method: .get) { r in
                #expect(r.status == .ok)
                let doc = try F.json(r.body)
                func value(_ key: String) -> Double? { (doc[key] as? [String: Any])?["value"] as? Double }
                #expect(value("municipality").map { abs($0 - mine) < 1e-9 } == true)
                #expect(value("prefecture").map { abs($0 - ratio(saitama)) < 1e-9 } == true, "the prefecture's ratio of sums")
                #expect(value("medical_area").map { abs($0 - ratio(population.filter { west.contains($0["code"]!) })) < 1e-9 } == true)
                #expect((doc["medical_area"] as? [String: Any])?["name"] as? String == "西部")
                let p = try #require(doc["peers"] as? [String: Any])
                #expect(p["band"] as? String == "over_100000" && p["count"] as? Int == peers.count)
                #expect(p["rank"] as? Int == peers.filter { $0 > mine }.count + 1)
                #expect((p["percentile"] as? Double).map { abs($0 - Double(peers.filter { $0 < mine }.count) / Double(peers.count - 1) * 100) < 1e-9 } == true)
                #expect(doc["population_year"] as? Int == 2025 && doc["population_kind"] as? String == "estimate")
            }
            try await client.execute(uri: "/v1/compare/11208?indicator=ratio_65_plus&year=2040", method: .get) { r in
                let doc = try F.json(r.body)
                #expect(doc["population_kind"] as? String == "projection")
                #expect(((doc["municipality"] as? [String: Any])?["value"] as? Double).map { abs($0 - 116_624.0 / 322_316 * 100) < 1e-9 } == true)
            }
            for (uri, status) in [("/v1/compare/99999", HTTPResponse.Status.notFound), ("/v1/compare/abc", .badRequest),
                                  ("/v1/compare/11208?indicator=gap", .badRequest), ("/v1/compare/11208?year=1999", .badRequest)] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == status, "\(uri)")
                    #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                }
            }
        }
    }
}
