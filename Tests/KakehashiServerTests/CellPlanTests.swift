import Foundation
import GRDB
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore
import KakehashiTestSupport
import Testing
@testable import KakehashiCoverage
@testable import KakehashiServer


/// Answers read from cell plans are the answers of the full scan, on the real fixtures plus a dense
/// generated region around 所沢 with every kind of service area, hours, capability and on-call report.
@Suite struct CellPlanTests {
    /// A small deterministic generator (the tests must not vary from run to run).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 11
        }
        mutating func unit() -> Double { Double(next() % 1_000_000) / 1_000_000 }
        mutating func pick<T>(_ list: [T]) -> T { list[Int(next() % UInt64(list.count))] }
    }

    static let box = GeoBox(minLon: 139.38, minLat: 35.74, maxLon: 139.56, maxLat: 35.88)

    /// The fixture database with 8,000 generated providers; their index and on-call board.
    static func region() throws -> (CoverageIndex, OnCallBoard, now: Date) {
        let base = try ServerFixture.base.get()
        let dir = try TestFixtures.scratch("plans")
        let path = dir.appendingPathComponent("plans.sqlite").path
        try SpatialDatabase.copyFiles(from: base, to: path)
        let db = try SpatialDatabase(path: path)
        let towns = try db.reader.read { try String.fetchAll($0, sql: "SELECT town FROM towns WHERE municipality_code = '11208' ORDER BY town LIMIT 40") }
        try #require(towns.count == 40)
        let probe = CoverageIndex(try db.providerFacts())
        var rng = Random(state: 11_208)
        var codes: Set<String> = []
        for _ in 0..<400 {
            let p = GeoPoint(lon: box.minLon + rng.unit() * (box.maxLon - box.minLon), lat: box.minLat + rng.unit() * (box.maxLat - box.minLat))
            if let m = probe.municipalityOf(p) { codes.insert(m.code) }
        }
        let codeList = codes.sorted()
        try #require(codeList.count >= 4, "municipalities in the box: \(codeList)")

        let services = ServiceKind.allCases.map(\.rawValue)
        let hours = ["Mo-Fr 09:00-18:00; PH off", "Mo-Su 18:00-08:00", "24/7", "Mo-Sa 20:00-02:00; Dec 29-Jan 03 off", "", "", "Tu,Th 19:00-23:00",
                     "Mo-Fr 08:30-17:30; Sa 09:00-12:00; PH off", "Mo-Su 00:00-24:00; PH off", "Mo-Su 17:00-24:00"]
        let capabilities = ["", "", "", "home_support_clinic", "nursing_24h", "pharmacy_24h"]
        var csv = "id,name,kind,services,lat,lon,municipality_code,phone,capabilities,opening_hours,hours_service,area_radius_m,area_municipalities,area_towns\n"
        var polygons: [String] = []
        for n in 1...8_000 {
            let located = rng.next() % 40 != 0
            let lat = box.minLat + rng.unit() * (box.maxLat - box.minLat), lon = box.minLon + rng.unit() * (box.maxLon - box.minLon)
            let own = probe.municipalityOf(GeoPoint(lon: lon, lat: lat))?.code ?? rng.pick(codeList)
            var offered = [rng.pick(services)]
            if rng.next() % 4 == 0 { offered.append(rng.pick(services)) }
            let h = rng.pick(hours)
            var radius = "", listed = "", townList = ""
            switch rng.next() % 6 {
            case 0: radius = String(1_000 + Int(rng.next() % 6_000))
            case 1: listed = (0..<(1 + Int(rng.next() % 3))).map { _ in rng.pick(codeList) }.joined(separator: ";")
            case 2: townList = (0..<(1 + Int(rng.next() % 4))).map { _ in "11208:" + rng.pick(towns) }.joined(separator: ";")
            case 3 where located:
                let w = 0.005 + rng.unit() * 0.03, e = 0.005 + rng.unit() * 0.03
                polygons.append(#"{"type":"Feature","properties":{"provider":"G\#(n)"},"geometry":{"type":"Polygon","coordinates":[[[\#(lon - w),\#(lat - e)],[\#(lon + w),\#(lat - e)],[\#(lon + w),\#(lat + e)],[\#(lon - w),\#(lat + e)],[\#(lon - w),\#(lat - e)]]]}}"#)
            case 4: radius = String(500 + Int(rng.next() % 3_000)); listed = rng.pick(codeList)
            default: break
            }
            csv += "G\(n),生成\(n),other,\(offered.joined(separator: ";")),\(located ? String(lat) : ""),\(located ? String(lon) : ""),\(own),"
                + "000-0000-0000,\(rng.pick(capabilities)),\"\(h)\",\(h.isEmpty || rng.next() % 3 == 0 ? "" : offered[0]),\(radius),\(listed),\(townList)\n"
        }
        let csvURL = dir.appendingPathComponent("generated.csv"), geoURL = dir.appendingPathComponent("generated-areas.geojson")
        try Data(csv.utf8).write(to: csvURL)
        try Data(#"{"type":"FeatureCollection","features":[\#(polygons.joined(separator: ","))]}"#.utf8).write(to: geoURL)
        _ = try DataImport.run(.providers, files: [csvURL.path, geoURL.path], into: db)
        var settings = CoverageIndex.Settings(planAfterRequests: 2)  // plans from the second request on, every one
        settings.planAdmissionAdapts = false
        let index = CoverageIndex(try db.providerFacts(), settings: settings)
        let ids = try db.reader.read { try Int64.fetchAll($0, sql: "SELECT id FROM providers WHERE official_id LIKE 'G%' ORDER BY id LIMIT 60") }
        try db.close()

        // On-call reports: active, expired last night, expired long ago; for one service or all.
        let now = try #require(ISO8601DateFormatter().date(from: "2026-11-24T12:00:00+09:00"))
        var reports: [OnCallReport] = []
        for (k, id) in ids.enumerated() {
            let start = now.addingTimeInterval(Double(k % 3 == 0 ? -30 : 6) * 3600)
            let end = k % 3 == 1 ? now.addingTimeInterval(-3600) : now.addingTimeInterval(Double(6 + k % 24) * 3600)
            reports.append(OnCallReport(id: Int64(k + 1), providerID: id, service: k % 2 == 0 ? nil : rng.pick(services), startsAt: start,
                                        endsAt: end, contact: "090-0000-\(1000 + k)", note: nil, reportedBy: "test", reportedAt: now))
        }
        return (index, OnCallBoard(reports), now)
    }

    @Test func planAnswersEqualTheFullScan() throws {
        let (index, board, now) = try Self.region()
        let snapshot = board.versionedSnapshot()
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var rng = Random(state: 2026)
        let nights = [CivilDate(year: 2026, month: 11, day: 24), CivilDate(year: 2026, month: 11, day: 23),  // 勤労感謝の日
                      CivilDate(year: 2026, month: 12, day: 31)]
        let windows = nights.map(CoverageWindow.tonight)
            + [CoverageWindow(from: now.addingTimeInterval(11 * 3600), to: now.addingTimeInterval(11 * 3600 + 60)),
               CoverageWindow(from: now, to: now.addingTimeInterval(7 * 86_400))]
        let serviceSets: [[ServiceKind]] = ServiceKind.allCases.map { [$0] } + [[.homeVisitMedical, .homeVisitNursing], [.homeCare, .nightHomeCare, .careManagement]]
        var compared = 0, planned = 0, withResults = 0, fullPages = 0, mismatches: [String] = []
        // The server's JSON of plan answers, with entries copied from memos written at earlier
        // points (of the same cell and of others), against the scan's written out in full.
        let memos = EntryMemos(), fragments = EntryFragments()
        var memoEntries = 0, jsonMismatches = 0
        for _ in 0..<70 {
            let centre = GeoPoint(lon: Self.box.minLon + 0.02 + rng.unit() * (Self.box.maxLon - Self.box.minLon - 0.04),
                                  lat: Self.box.minLat + 0.02 + rng.unit() * (Self.box.maxLat - Self.box.minLat - 0.04))
            // Points of one plan cell: the same plan must serve each of them.
            let cellLon = (centre.lon / 0.01).rounded(.down) * 0.01, cellLat = (centre.lat / 0.01).rounded(.down) * 0.01
            let points = [centre] + (0..<2).map { _ in GeoPoint(lon: cellLon + rng.unit() * 0.01, lat: cellLat + rng.unit() * 0.01) }
            let services = rng.pick(serviceSets), window = rng.pick(windows)
            let (limit, offset) = rng.pick([(20, 0), (20, 0), (5, 10), (60, 0)])
            for point in points {
                let q = CoverageQuery(point: point, services: services, window: window, limit: limit, offset: offset, now: now)
                let place = index.locate(q)
                let scan = index.answerByScan(q, place, reports: snapshot.reports)
                _ = index.answerFromPlans(q, place, reports: snapshot.reports, version: snapshot.version)  // the first request of a key builds nothing
                compared += 1
                guard let plan = index.answerFromPlans(q, place, reports: snapshot.reports, version: snapshot.version) else { continue }
                planned += 1
                if !scan.results.isEmpty { withResults += 1 }
                if scan.results.count == limit { fullPages += 1 }
                if try encoder.encode(plan) != encoder.encode(scan) {
                    mismatches.append("\(point) \(services) \(window) total \(scan.total)/\(plan.total) ids \(scan.results.map(\.providerID)) / \(plan.results.map(\.providerID))")
                }
                func body(_ a: CoverageAnswer) -> CoverageResponse {
                    CoverageResponse(query: .init(services: services, from: window.from, to: window.to, lat: point.lat, lon: point.lon), answer: a)
                }
                memoEntries += plan.page.filter { $0.memo > 0 }.count
                if CoverageJSON.encode(body(plan), fragments: fragments, memos: memos) != CoverageJSON.encode(body(scan)) { jsonMismatches += 1 }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(planned) differ: \(mismatches.prefix(3))")
        #expect(jsonMismatches == 0 && memoEntries >= 1_000 && memos.usage.memos >= 300,
                "JSON differs for \(jsonMismatches); \(memoEntries) entries from memos, \(memos.usage.memos) memos written")
        #expect(compared == 210 && planned >= 200, "answered from plans: \(planned) of \(compared)")
        #expect(withResults >= 150 && fullPages >= 60, "with results \(withResults), full pages \(fullPages)")
        #expect(index.plans.usage.plans > 50)
    }

    @Test func serviceOrdinalsFollowAllCases() {
        #expect(ServiceKind.allCases.enumerated().allSatisfy { $0.offset == $0.element.ordinal })
    }

    @Test func nearestTownByCellIsTheNearestOfAll() throws {
        let (state, _, _) = try ServerFixture.state()
        let index = state.index
        var rng = Random(state: 7)
        var compared = 0, differ: [String] = []
        // Around the fixtures' three prefectures' dense parts, several points per cell.
        for (lon, lat) in [(139.38, 35.74), (139.88, 35.80), (139.66, 35.70), (130.60, 32.70)] {
            for _ in 0..<600 {
                let p = GeoPoint(lon: lon + rng.unit() * 0.2, lat: lat + rng.unit() * 0.16)
                guard let code = index.municipalityOf(p)?.code, let list = index.towns[code], list.count > 24 else { continue }
                let around = Geodesic.Around(p)
                let brute = list.indices.min { around.distance(to: list[$0].point) < around.distance(to: list[$1].point) }.map { list[$0].name }
                compared += 1
                let candidates = index.townCandidates(cell: CellTable.key(p.lon, p.lat, degrees: CellPlan.cellDegrees), code: code)
                if candidates == nil || index.nearestTown(to: p, in: code, among: candidates) != brute { differ.append("\(p) \(code)") }
            }
        }
        #expect(differ.isEmpty, "\(differ.count) differ: \(differ.prefix(3))")
        #expect(compared >= 1_000, "compared \(compared)")
    }

    @Test func aWriteToTheBoardIsSeenAtOnce() throws {
        let (index, board, now) = try Self.region()
        let q = CoverageQuery(point: GeoPoint(lon: 139.47, lat: 35.80), services: [.homeCare], window: .tonight(CivilDate(year: 2026, month: 11, day: 24)),
                              limit: 500, now: now)
        _ = index.answer(q, onCall: board)
        let before = index.answer(q, onCall: board)
        #expect(index.plans.usage.plans == 1)
        // A provider closed tonight reports on call: it must appear in the very next answer.
        let place = index.locate(q)
        let closed = try #require(index.answerByScan(CoverageQuery(point: q.point, services: q.services, window: q.window, explain: true, now: now), place,
                                                     reports: [:]).excluded?.first { $0.reason == .closedInWindow })
        #expect(!before.results.contains { $0.providerID == closed.providerID })
        board.put(OnCallReport(id: 999, providerID: closed.providerID, service: nil, startsAt: now, endsAt: now.addingTimeInterval(86_400),
                               contact: "090-9999-0000", note: nil, reportedBy: "test", reportedAt: now))
        let after = index.answer(q, onCall: board)
        #expect(after.results.contains { $0.providerID == closed.providerID && $0.basis == .onCall })
        #expect(after.total == before.total + 1)
    }
}
