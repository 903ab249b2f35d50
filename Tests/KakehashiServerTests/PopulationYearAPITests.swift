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
}
