import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// `year=` on the layers (issue #21): the latest actual year unasked, a projected year when asked,
/// each row naming its year and kind, and a year not held refused.
@Suite struct PopulationYearAPITests {
    typealias F = ServerFixture

    /// The CSV's rows by code, as column → value.
    static func rows(_ buffer: ByteBuffer) -> [String: [String: String]] {
        let lines = String(buffer: buffer).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [:] }
        var out: [String: [String: String]] = [:]
        for f in lines.dropFirst() where f.count == header.count { out[f[0]] = Dictionary(uniqueKeysWithValues: zip(header, f)) }
        return out
    }

    @Test func layersTakeAYearAndNameIt() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            // Unasked: 2025, the latest year with an actual figure (the estimate, not the projection of 2025).
            try await client.execute(uri: "/v1/layers/municipalities.csv?indicator=population_65_plus", method: .get) { r in
                #expect(r.status == .ok)
                let t = Self.rows(r.body)["11208"]
                #expect(t?["population_year"] == "2025" && t?["population_kind"] == "estimate")
            }
            try await client.execute(uri: "/v1/layers/municipalities.csv?year=2040", method: .get) { r in
                #expect(r.status == .ok)
                let rows = Self.rows(r.body)
                let t = rows["11208"]
                #expect(t?["population_year"] == "2040" && t?["population_kind"] == "projection")
                #expect(t?["population_65_plus"] == "116624" && t?["population_total"] == "322316")
                // 75+ is not in the projection outside the 23 wards: no data, not an estimate.
                #expect(t?["population_75_plus"] == "" && t?["ratio_75_plus"] == "" && t?["providers_per_1000_75_plus"] == "")
                #expect(rows["13101"]?["population_75_plus"] == "7560")
                // Needs of 2040 at today's count, against 2025's 65+ (the estimate, from the fixture).
                let today65 = try #require(try PlanningAreaAPITests.table("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")
                    .first { $0["code"] == "11208" }.flatMap { Int($0["elderly_65_2025"] ?? "") })
                let clinics = try #require(Int(t?["home_support_clinics"] ?? ""))
                #expect(clinics > 0)
                #expect(Double(t?["home_support_clinics_per_1000_65_plus"] ?? "").map { abs($0 - Double(clinics) / 116_624 * 1000) < 0.0001 } == true)
                let needed = Int((Double(clinics) * 116_624 / Double(today65)).rounded(.up)) - clinics
                #expect(t?["home_support_clinics_more_to_keep_ratio"] == String(max(0, needed)) && needed > 0)
                let providers = try #require(Int(t?["providers"] ?? ""))
                #expect(t?["providers_more_to_keep_ratio"] == String(max(0, Int((Double(providers) * 116_624 / Double(today65)).rounded(.up)) - providers)))
            }
            try await client.execute(uri: "/v1/layers/municipalities.geojson?year=2040&indicator=ratio_65_plus", method: .get) { r in
                let fc = try F.json(r.body)
                let t = (fc["features"] as? [[String: Any]])?.first { $0["id"] as? String == "11208" }?["properties"] as? [String: Any]
                #expect((t?["ratio_65_plus"] as? Double).map { abs($0 - 116_624.0 / 322_316 * 100) < 0.001 } == true)
                #expect(t?["population_kind"] as? String == "projection")
            }
            try await client.execute(uri: "/v1/layers/municipalities.csv?year=1999", method: .get) { r in
                #expect(r.status == .badRequest)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let detail = (try F.json(r.body))["detail"] as? String ?? ""
                #expect(detail.contains("使える年") && detail.contains("2040（推計）") && detail.contains("2025"))
            }
        }
    }

    /// Tiles take `year=` too: the municipal tile of 所沢市 carries 2040's projected population when
    /// asked, TileJSON names the year in its tile URL, and a year not held is a 400.
    @Test func tilesTakeAYear() async throws {
        let (state, _, _) = try F.state()
        let z = 10, n = Double(1 << 10), lon = 139.4689, lat = 35.7994
        let x = Int((lon + 180) / 360 * n), y = Int((1 - log(tan(lat * .pi / 180) + 1 / cos(lat * .pi / 180)) / .pi) / 2 * n)
        let pixel = (((lon + 180) / 360 * n - Double(x)) * 4096, ((1 - log(tan(lat * .pi / 180) + 1 / cos(lat * .pi / 180)) / .pi) / 2 * n - Double(y)) * 4096)
        try await F.app(state).test(.router) { client in
            var totals: [String: String] = [:]
            for query in ["", "?year=2040"] {
                try await client.execute(uri: "/tiles/municipalities/\(z)/\(x)/\(y).mvt\(query)", method: .get) { r in
                    #expect(r.status == .ok)
                    let features = try TilesAPITests.decode(Data(buffer: r.body), layer: "municipalities", pixel: pixel)
                    let tokorozawa = features.first { ($0["properties"] as? [String: Any])?["code"] as? String == "11208" }?["properties"] as? [String: Any]
                    totals[query] = "\(tokorozawa?["population_total"] ?? "none")"
                }
            }
            #expect(totals["?year=2040"] == "322316" && totals[""] != totals["?year=2040"] && totals[""] != "none", "\(totals)")
            try await client.execute(uri: "/tiles/municipalities.json?year=2040", method: .get) { r in
                let tiles = try F.json(r.body)["tiles"] as? [String] ?? []
                #expect(tiles.first?.hasSuffix("&year=2040") == true, "\(tiles)")
            }
            for bad in ["/tiles/municipalities/\(z)/\(x)/\(y).mvt?year=1999", "/tiles/providers/\(z)/\(x)/\(y).mvt?year=2040", "/tiles/meshes.json?year=2041"] {
                try await client.execute(uri: bad, method: .get) { r in #expect(r.status == .badRequest, "\(bad)") }
            }
        }
    }

    /// 75+ the projection lacks stays no data unless an estimate is asked for; then it is today's
    /// share of 75+ among 65+ applied to the year's 65+, and labelled as an estimate.
    @Test func an75PlusEstimateOnlyWhenAskedAndLabelled() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var today: [String: String]?
            try await client.execute(uri: "/v1/layers/municipalities.csv", method: .get) { r in today = Self.rows(r.body)["11208"] }
            let t65 = try #require(Double(today?["population_65_plus"] ?? "")), t75 = try #require(Double(today?["population_75_plus"] ?? ""))
            try await client.execute(uri: "/v1/layers/municipalities.csv?year=2040&estimate_75_plus=true", method: .get) { r in
                let rows = Self.rows(r.body)
                let t = rows["11208"]
                #expect(t?["population_75_plus"] == String(Int((116_624 * t75 / t65).rounded())) && t?["population_75_plus_estimated"] == "true", "\(t ?? [:])")
                #expect(t?["ratio_75_plus"] != "" && t?["providers_per_1000_75_plus"] != "")
                // The 23 wards have 75+ in the projection: kept, not estimated.
                #expect(rows["13101"]?["population_75_plus"] == "7560" && rows["13101"]?["population_75_plus_estimated"] == "false")
            }
            try await client.execute(uri: "/v1/layers/medical_areas.csv?year=2040&estimate_75_plus=true", method: .get) { r in
                let west = Self.rows(r.body)["1107"]
                #expect(west?["population_75_plus"] != "" && west?["population_75_plus_estimated"] == "true", "\(west ?? [:])")
            }
            try await client.execute(uri: "/v1/layers/municipalities.csv?year=2040&estimate_75_plus=maybe", method: .get) { r in
                #expect(r.status == .badRequest)
            }
        }
    }
}
