import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing

/// A municipality's trend (issue #21): every year's row is the layer of that year, for the
/// municipality, its 二次医療圏 and its prefecture; the CSV says the same.
@Suite struct TrendAPITests {
    typealias F = ServerFixture

    @Test func eachYearIsTheLayerOfThatYear() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            var trend: [String: Any] = [:]
            try await client.execute(uri: "/v1/trends/11208.json?service=home_visit_nursing", method: .get) { r in
                #expect(r.status == .ok)
                trend = try F.json(r.body)
            }
            let rows = try #require(trend["rows"] as? [[String: Any]])
            let years = Set(rows.compactMap { $0["year"] as? Int })
            #expect(years.isSuperset(of: [2020, 2025, 2040, 2050]), "\(years.sorted())")
            let levels = (trend["areas"] as? [[String: Any]] ?? []).compactMap { $0["level"] as? String }
            #expect(levels == ["municipality", "medical_area", "prefecture"])
            for (year, layer, code, level) in [(2025, "municipalities", "11208", "municipality"), (2040, "municipalities", "11208", "municipality"),
                                                (2040, "medical_areas", "1107", "medical_area"), (2040, "prefectures", "11000", "prefecture")] {
                let row = try #require(rows.first { $0["year"] as? Int == year && $0["level"] as? String == level })
                let values = try #require(row["values"] as? [String: Any])
                try await client.execute(uri: "/v1/layers/\(layer).csv?service=home_visit_nursing&year=\(year)", method: .get) { r in
                    let shown = try #require(PopulationYearAPITests.rows(r.body)[code])
                    for column in ["population_total", "population_65_plus", "providers", "providers_more_to_keep_ratio"] {
                        #expect(values[column].map { "\($0)" } == shown[column], "\(year) \(level) \(column)")
                    }
                    #expect(row["kind"] as? String == shown["population_kind"])
                }
            }
            // 所沢市 2040 65+ as the projection file has it; 75+ is no data there, not an estimate.
            let tokorozawa2040 = try #require(rows.first { $0["year"] as? Int == 2040 && $0["level"] as? String == "municipality" })
            let values = try #require(tokorozawa2040["values"] as? [String: Any])
            #expect(values["population_65_plus"] as? Int == 116_624 && values["population_75_plus"] is NSNull)
            let demand = try #require(trend["demand"] as? [[String: Any]])
            #expect(demand.contains { $0["fiscal_year"] as? Int == 2040 && ($0["receipts_per_month"] as? Double).map { abs($0 - 13664.6957) < 0.001 } == true })

            try await client.execute(uri: "/v1/trends/11208.csv?service=home_visit_nursing", method: .get) { r in
                #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
                let text = String(buffer: r.body)
                #expect(text.hasPrefix("year,population_kind,level,code,name,population_total"))
                #expect(text.contains("\n2040,projection,municipality,11208,所沢市,322316,116624,,"))
            }
            for (uri, status) in [("/v1/trends/99999.json", HTTPResponse.Status.notFound), ("/v1/trends/112.json", .badRequest),
                                  ("/v1/trends/11208.xml", .notFound), ("/v1/trends/11208.json?service=x", .badRequest)] {
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == status, "\(uri)")
                    #expect(r.headers[.contentType] == "application/problem+json; charset=utf-8", "\(uri)")
                }
            }
            try await client.execute(uri: "/profile", method: .get) { r in
                #expect(r.status == .ok && String(buffer: r.body).contains("profile.js"))
            }
        }
    }
}
