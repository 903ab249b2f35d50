import Foundation
import Hummingbird
import HummingbirdTesting
import KakehashiServer
import Testing
import GRDB

@Suite struct CoverageAPITests {
    typealias F = ServerFixture

    static func results(_ body: [String: Any]) -> [[String: Any]] { body["results"] as? [[String: Any]] ?? [] }

    /// A weekday, 23:00 in 所沢市: the 在支診 there are listed on the strength of their registration.
    @Test func zaishishinAtNightByCapability() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/coverage?lat=35.7994&lon=139.4689&service=home_visit_medical&at=2026-11-24T23:00:00%2B09:00&limit=200", method: .get) { r in
                #expect(r.status == .ok)
                let body = try F.json(r.body)
                let list = Self.results(body)
                #expect(list.count >= 20)
                #expect(list.allSatisfy { $0["status"] as? String == "covered" && $0["basis"] as? String == "capability" })
                #expect(list.allSatisfy { ($0["distance_m"] as? Double ?? .infinity) <= 16_000 })
                #expect(list.contains { ($0["name"] as? String)?.contains("よしかわクリニック") == true })
                // Each entry places its provider: the haversine distance from the query point to the
                // entry's lat/lon agrees with distance_m (ellipsoid vs sphere: within 0.5 %).
                for e in list {
                    let lat = try #require(e["lat"] as? Double), lon = try #require(e["lon"] as? Double)
                    let r = Double.pi / 180, dLat = (lat - 35.7994) * r, dLon = (lon - 139.4689) * r
                    let h = sin(dLat / 2) * sin(dLat / 2) + cos(35.7994 * r) * cos(lat * r) * sin(dLon / 2) * sin(dLon / 2)
                    let haversine = 2 * 6_371_008.8 * asin(h.squareRoot())
                    let d = try #require(e["distance_m"] as? Double)
                    #expect(abs(haversine - d) <= max(1, d * 0.005), "\(e["name"] ?? "") \(haversine) vs \(d)")
                }
                let datasets = body["datasets"] as? [[String: Any]] ?? []
                #expect(datasets.contains { $0["file"] as? String == "zaishishin_tokorozawa_iruma.csv" })
            }
        }
    }

    /// NATIVE-N1 is listed where its drawn area covers the point, not elsewhere (explained).
    @Test func nursingStationOnlyInsideItsArea() async throws {
        let (state, _, _) = try F.state()
        let n1ID = try F.id(of: "NATIVE-N1", in: state)
        let window = "from=2026-11-24T10:00:00%2B09:00&to=2026-11-24T11:00:00%2B09:00"
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/coverage?lat=\(F.inside.lat)&lon=\(F.inside.lon)&service=home_visit_nursing&\(window)&limit=200", method: .get) { r in
                let n1 = Self.results(try F.json(r.body)).first { $0["official_id"] as? String == "NATIVE-N1" }
                #expect(n1?["status"] as? String == "covered")
                #expect(n1?["basis"] as? String == "hours")
                #expect((n1?["area"] as? [String: Any])?["rule"] as? String == "polygon")
            }
            try await client.execute(uri: "/v1/coverage?lat=\(F.outside.lat)&lon=\(F.outside.lon)&service=home_visit_nursing&\(window)&limit=200&explain=true", method: .get) { r in
                let body = try F.json(r.body)
                #expect(!Self.results(body).contains { $0["official_id"] as? String == "NATIVE-N1" })
                let excluded = body["excluded"] as? [[String: Any]] ?? []
                var reason: String?
                for e in excluded where (e["provider_id"] as? NSNumber)?.int64Value == n1ID { reason = e["reason"] as? String }
                #expect(reason == "outside_area")
            }
        }
    }

    /// A point about 17 km from the nearest clinic: no medical home visit, and the reason given.
    @Test func beyondSixteenKilometres() async throws {
        let (state, _, _) = try F.state()
        let clinics = try state.database.reader.read { db in
            try Row.fetchAll(db, sql: "SELECT X(location) AS x, Y(location) AS y FROM providers WHERE source = 'zaishishin' AND location IS NOT NULL")
        }.map { (lon: $0["x"] as Double, lat: $0["y"] as Double) }
        // Walk north from 所沢 until the nearest clinic is 17 km away.
        var lat = 35.80
        func nearest(_ lat: Double) -> Double {
            clinics.map { Self.distance(lat, 139.45, $0.lat, $0.lon) }.min()!
        }
        while nearest(lat) < 17_000 { lat += 0.002 }
        #expect(nearest(lat) < 17_500)
        let pointLat = lat
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/coverage?lat=\(pointLat)&lon=139.45&service=home_visit_medical&window=tonight&date=2026-11-24&explain=true", method: .get) { r in
                let body = try F.json(r.body)
                #expect(Self.results(body).isEmpty)
                #expect(body["total"] as? Int == 0)
                let excluded = body["excluded"] as? [[String: Any]] ?? []
                #expect(!excluded.isEmpty)
                #expect(excluded.allSatisfy { $0["reason"] as? String == "beyond_legal_radius" })
            }
        }
    }

    static func distance(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6_371_008.8, p = Double.pi / 180
        let h = sin((lat2 - lat1) * p / 2) * sin((lat2 - lat1) * p / 2) + cos(lat1 * p) * cos(lat2 * p) * sin((lon2 - lon1) * p / 2) * sin((lon2 - lon1) * p / 2)
        return 2 * r * asin(h.squareRoot())
    }

    struct EntryView: Sendable {
        var status: String?
        var from: String?
        var to: String?
        var nextChange: String?
    }

    static func entry(_ client: some TestClientProtocol, _ window: String, _ official: String) async throws -> EntryView? {
        try await client.execute(uri: "/v1/coverage?lat=\(F.inside.lat)&lon=\(F.inside.lon)&service=home_visit_nursing&\(window)&limit=200&explain=true", method: .get) { r in
            #expect(r.status == .ok)
            guard let e = Self.results(try F.json(r.body)).first(where: { $0["official_id"] as? String == official }) else { return nil }
            let covered = e["covered"] as? [[String: Any]] ?? []
            return EntryView(status: e["status"] as? String, from: covered.first?["from"] as? String, to: covered.first?["to"] as? String,
                             nextChange: e["next_change"] as? String)
        }
    }

    /// Windows across midnight, a holiday and the year end, against NATIVE-N1's and N2's hours.
    @Test func windowsAcrossMidnightHolidayAndYearEnd() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            // Tonight (Tue 18:00 → Wed 09:00): N1 closed all night (excluded), N2 partly (20:00–02:00).
            let n1Tonight = try await Self.entry(client, "window=tonight&date=2026-11-24", "NATIVE-N1")
            #expect(n1Tonight == nil)
            let n2 = try await Self.entry(client, "window=tonight&date=2026-11-24", "NATIVE-N2")
            #expect(n2?.status == "partial")
            #expect(n2?.from == "2026-11-24T20:00:00+09:00")
            #expect(n2?.to == "2026-11-25T02:00:00+09:00")
            #expect(n2?.nextChange == "2026-11-24T20:00:00+09:00")
            // 勤労感謝の日 (Mon 2026-11-23) 10:00–11:00: N1 is PH off.
            let holiday = try await Self.entry(client, "from=2026-11-23T10:00:00%2B09:00&to=2026-11-23T11:00:00%2B09:00", "NATIVE-N1")
            #expect(holiday == nil)
            let weekday = try await Self.entry(client, "from=2026-11-24T10:00:00%2B09:00&to=2026-11-24T11:00:00%2B09:00", "NATIVE-N1")
            #expect(weekday?.status == "covered")
            // Year end: Wed 2026-12-30 is closed; Mon 2027-01-04 open again.
            let yearEnd = try await Self.entry(client, "from=2026-12-30T10:00:00%2B09:00&to=2026-12-30T11:00:00%2B09:00", "NATIVE-N1")
            #expect(yearEnd == nil)
            let newYear = try await Self.entry(client, "from=2027-01-04T10:00:00%2B09:00&to=2027-01-04T11:00:00%2B09:00", "NATIVE-N1")
            #expect(newYear?.status == "covered")
            // Across the year end at night: N2 covers Dec 31 20:00 → Jan 1 02:00.
            let night = try await Self.entry(client, "from=2026-12-31T18:00:00%2B09:00&to=2027-01-01T09:00:00%2B09:00", "NATIVE-N2")
            #expect(night?.to == "2027-01-01T02:00:00+09:00")
            // Stations without published hours and no capability: unknown, never closed.
            try await client.execute(uri: "/v1/coverage?lat=\(F.inside.lat)&lon=\(F.inside.lon)&service=home_visit_nursing&window=tonight&date=2026-11-24&limit=200", method: .get) { r in
                let list = Self.results(try F.json(r.body))
                #expect(list.contains { $0["source"] as? String == "kaigo:130" && $0["status"] as? String == "unknown" && $0["basis"] == nil })
            }
        }
    }

    /// `window=tonight` without a date, asked at night, is the rest of the night in progress (the
    /// server's clock set): at 01:00 N2's cover (20:00–02:00) is 01:00–02:00; at 03:00 it is over.
    @Test func tonightWithoutADateIsTheRestOfTheNight() async throws {
        var (state, _, _) = try F.state()
        let clock = ClockSetting()
        state.clock = { clock.now }
        try await F.app(state).test(.router) { client in
            clock.now = try Date("2026-11-25T01:00:30+09:00", strategy: .iso8601)
            let rest = try await Self.entry(client, "window=tonight", "NATIVE-N2")
            #expect(rest?.from == "2026-11-25T01:00:00+09:00" && rest?.to == "2026-11-25T02:00:00+09:00")
            try await client.execute(uri: "/v1/coverage?lat=\(F.inside.lat)&lon=\(F.inside.lon)&service=home_visit_nursing", method: .get) { r in
                let window = try F.json(r.body)["window"] as? [String: Any]
                #expect(window?["night"] as? String == "2026-11-24")
                #expect(window?["from"] as? String == "2026-11-25T01:00:00+09:00" && window?["to"] as? String == "2026-11-25T09:00:00+09:00")
            }
            clock.now = try Date("2026-11-25T03:00:00+09:00", strategy: .iso8601)
            #expect(try await Self.entry(client, "window=tonight", "NATIVE-N2") == nil)
            clock.now = try Date("2026-11-24T22:00:00+09:00", strategy: .iso8601)
            let evening = try await Self.entry(client, "window=tonight", "NATIVE-N2")
            #expect(evening?.from == "2026-11-24T22:00:00+09:00" && evening?.to == "2026-11-25T02:00:00+09:00")
            // A date names the whole night, whenever asked.
            let whole = try await Self.entry(client, "window=tonight&date=2026-11-24", "NATIVE-N2")
            #expect(whole?.from == "2026-11-24T20:00:00+09:00")
        }
    }

    @Test func addressQueriesStateTheGeocodeLevel() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            let address = "所沢市元町２８番９号".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/v1/coverage?address=\(address)&service=home_visit_medical&window=tonight&date=2026-11-24", method: .get) { r in
                #expect(r.status == .ok)
                let body = try F.json(r.body)
                let geocode = (body["query"] as? [String: Any])?["geocode"] as? [String: Any]
                #expect(geocode?["level"] as? Int == 3)
                #expect(geocode?["town"] as? String == "元町")
                #expect(body["municipality_code"] as? String == "11208")
            }
            let cityOnly = "所沢市どこか".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await client.execute(uri: "/v1/coverage?address=\(cityOnly)&service=home_visit_medical", method: .get) { r in
                #expect(r.status == .ok)
                let geocode = (try F.json(r.body)["query"] as? [String: Any])?["geocode"] as? [String: Any]
                #expect(geocode?["level"] as? Int == 2)
                #expect((geocode?["message"] as? String)?.contains("町字まで特定できませんでした") == true)
            }
        }
    }

    @Test(arguments: [
        ("/v1/coverage?lat=abc&lon=139.4&service=home_care", "lat"),
        ("/v1/coverage?lat=95&lon=139.4&service=home_care", "lat"),
        ("/v1/coverage?lat=35.7&lon=139.4&service=pizza", "service"),
        ("/v1/coverage?lat=35.7&lon=139.4", "service"),
        ("/v1/coverage?lat=35.7&service=home_care", "lon"),
        ("/v1/coverage?lat=51.5&lon=-0.1&service=home_care", "lat"),
        ("/v1/coverage?lat=35.7&lon=139.4&service=home_care&from=2026-11-25T10:00%2B09:00&to=2026-11-24T10:00%2B09:00", "from"),
        ("/v1/coverage?lat=35.7&lon=139.4&service=home_care&from=2026-11-25T10:00", "to"),
        ("/v1/coverage?lat=35.7&lon=139.4&service=home_care&at=yesterday", "at"),
        ("/v1/coverage?lat=35.7&lon=139.4&service=home_care&limit=0", "limit"),
        ("/v1/coverage?lat=35.7&lon=139.4&service=home_care&window=always", "window"),
        ("/v1/coverage?address=" + String(repeating: "a", count: 300) + "&service=home_care", "address"),
        ("/v1/providers?bbox=1,2,3", "bbox"),
        ("/v1/providers/abc", "id"),
        ("/v1/geocode?q=", "q"),
        ("/v1/reverse?lat=35", "lon"),
    ])
    func malformedQueriesAreProblems(uri: String, parameter: String) async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { r in
                #expect(r.status == .badRequest, "\(uri)")
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
                let body = try F.json(r.body)
                #expect(body["status"] as? Int == 400)
                #expect(body["parameter"] as? String == parameter, "\(uri): \(body)")
                #expect((body["title"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func hugeAndUnknownRequests() async throws {
        let (state, _, _) = try F.state()
        try await F.app(state).test(.router) { client in
            try await client.execute(uri: "/v1/coverage?address=" + String(repeating: "%E6%9D%B1", count: 2_000) + "&service=home_care", method: .get) { r in
                #expect(r.status == .uriTooLong)
                #expect(r.headers[.contentType]?.hasPrefix("application/problem+json") == true)
            }
            try await client.execute(uri: "/nothing/here", method: .get) { r in
                #expect(r.status == .notFound)
                let title = try F.json(r.body)["title"] as? String
                #expect(title == "見つかりません")
            }
        }
    }
}

/// A clock a test moves.
final class ClockSetting: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date()
    var now: Date {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
