import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore
import Testing
@testable import KakehashiCoverage

/// The indexed search answers as the full scan does, on the fixtures plus the dense generated
/// region of ``CellPlanTests`` (every kind of area, hours, capability and on-call report).
@Suite struct IndexedSearchTests {
    @Test func searchAnswersEqualTheFullScan() throws {
        let (index, board, now) = try CellPlanTests.region()
        let reports = board.versionedSnapshot().reports
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var rng = CellPlanTests.Random(state: 1_616)
        let windows = [CivilDate(year: 2026, month: 11, day: 24), CivilDate(year: 2026, month: 11, day: 23), CivilDate(year: 2026, month: 12, day: 31)]
            .map(CoverageWindow.tonight) + [CoverageWindow(from: now.addingTimeInterval(11 * 3600), to: now.addingTimeInterval(11 * 3600 + 60))]
        let serviceSets: [[ServiceKind]] = ServiceKind.allCases.map { [$0] } + [[.homeVisitMedical, .homeVisitNursing], [.homeCare, .nightHomeCare, .careManagement]]
        var compared = 0, withResults = 0, mismatches: [String] = []
        for n in 0..<400 {
            // Most points in the generated box; some anywhere in the fixtures' region, and each
            // board state: the reports, and none.
            let box = n % 5 == 0 ? GeoBox(minLon: 139.0, minLat: 35.5, maxLon: 140.3, maxLat: 36.1) : CellPlanTests.box
            let point = GeoPoint(lon: box.minLon + rng.unit() * (box.maxLon - box.minLon), lat: box.minLat + rng.unit() * (box.maxLat - box.minLat))
            let (limit, offset) = rng.pick([(20, 0), (50, 0), (5, 10), (200, 0)])
            let q = CoverageQuery(point: point, services: rng.pick(serviceSets), window: rng.pick(windows), limit: limit, offset: offset, now: now)
            let place = index.locate(q)
            let board = n % 3 == 0 ? [:] : reports
            let scan = index.answerByScan(q, place, reports: board), search = index.answerBySearch(q, place, reports: board)
            compared += 1
            if !scan.results.isEmpty { withResults += 1 }
            if try encoder.encode(search) != encoder.encode(scan) {
                mismatches.append("\(point) \(q.services) total \(scan.total)/\(search.total) ids \(scan.results.prefix(8).map(\.providerID)) / \(search.results.prefix(8).map(\.providerID))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) of \(compared) differ: \(mismatches.prefix(3))")
        #expect(withResults >= 300, "with results: \(withResults)")
    }
}
