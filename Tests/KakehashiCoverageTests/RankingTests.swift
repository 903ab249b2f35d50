import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import Testing
@testable import KakehashiCoverage
@testable import KakehashiStore

/// Answers in the order of ``Ranking``: exact distances, never rounded, ties by provider id.
@Suite struct RankingTests {
    static let patient = GeoPoint(lon: 139.47, lat: 35.80)
    static let window = CoverageWindow.tonight(CivilDate(year: 2026, month: 11, day: 24))

    /// An index of medical providers at the given (id, point), none with hours or capability.
    static func index(_ placed: [(Int64, GeoPoint)], planCacheBytes: Int = 0) -> CoverageIndex {
        let providers = placed.map { id, point in
            var p = ProviderFactsSnapshot.Provider(id: id, source: "providers", officialID: "P\(id)", kind: "clinic", name: "診療所\(id)", datasetID: 1)
            p.location = point
            p.services = [ServiceKind.homeVisitMedical.rawValue]
            return p
        }
        let dataset = ProviderFactsSnapshot.Dataset(id: 1, sourceKind: "providers", fileName: "test.csv", referenceDate: nil,
                                                    loadedAt: "2026-11-24T00:00:00Z", credit: "")
        let snapshot = ProviderFactsSnapshot(providers: providers, municipalities: [], towns: [], datasets: [1: dataset])
        return CoverageIndex(snapshot, settings: .init(planCacheBytes: planCacheBytes, planAfterRequests: 2))
    }

    static func query(limit: Int) -> CoverageQuery {
        CoverageQuery(point: patient, services: [.homeVisitMedical], window: window, limit: limit, now: window.from)
    }

    /// Two providers in the same decimetre: the nearer first, though its id is the higher.
    @Test func nearTiesAreOrderedByExactDistance() {
        let far = EligibilityTests.north(of: Self.patient, metres: 2_162.88)
        let near = EligibilityTests.north(of: Self.patient, metres: 2_162.83)
        let index = Self.index([(1, far), (2, near)])
        let answer = index.answer(Self.query(limit: 10), onCall: OnCallBoard())
        #expect(answer.results.map(\.providerID) == [2, 1])
        #expect(answer.results.map(\.distanceM) == [2_162.8, 2_162.9])
    }

    /// Equal distances fall back to the provider id.
    @Test func equalDistancesFallBackToTheId() {
        let spot = EligibilityTests.north(of: Self.patient, metres: 500)
        let answer = Self.index([(9, spot), (4, spot), (6, spot)]).answer(Self.query(limit: 10), onCall: OnCallBoard())
        #expect(answer.results.map(\.providerID) == [4, 6, 9])
    }

    /// Eighty providers in one decimetre, the nearer the higher the id: their keys tie, so the head
    /// the search keeps holds the lowest ids; the page must still be the nearest fifty.
    @Test func manyTiesInOneDecimetre() {
        let placed = (0..<80).map { k in (Int64(100 + k), EligibilityTests.north(of: Self.patient, metres: 3_000.09 - Double(k) * 0.001)) }
        let answer = Self.index(placed).answer(Self.query(limit: 50), onCall: OnCallBoard())
        #expect(answer.results.map(\.providerID) == (130...179).reversed().map(Int64.init))
    }

    /// A page of 50 from hundreds of providers is the first 50 by exact distance, from the scan and
    /// from the plans alike; printed distances never go down the list.
    @Test func aPageIsTheNearestByExactDistance() {
        var state: UInt64 = 16
        func unit() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        // Clusters a few metres wide, so that many distances share a decimetre.
        var placed: [(Int64, GeoPoint)] = []
        for k in 0..<600 {
            let base = GeoPoint(lon: Self.patient.lon + (unit() - 0.5) * 0.3, lat: Self.patient.lat + (unit() - 0.5) * 0.3)
            let cluster = k % 4 == 0 ? 40 : 1
            for _ in 0..<cluster where placed.count < 2_000 {
                placed.append((Int64(placed.count + 1), GeoPoint(lon: base.lon + unit() * 0.00005, lat: base.lat + unit() * 0.00005)))
            }
        }
        let measured: [(id: Int64, metres: Double)] = placed.map { ($0.0, Geodesic.distance($0.1, Self.patient)) }
        let expected = measured.filter { $0.metres <= 16_000 }.sorted { $0.metres != $1.metres ? $0.metres < $1.metres : $0.id < $1.id }
        let index = Self.index(placed, planCacheBytes: 32 << 20)
        let board = OnCallBoard()
        for _ in 0..<3 {  // the scan, the plan's first request (builds), the plan
            let answer = index.answer(Self.query(limit: 50), onCall: board)
            #expect(answer.total == expected.count)
            #expect(answer.results.map(\.providerID) == expected.prefix(50).map(\.id))
            let shown = answer.results.compactMap(\.distanceM)
            #expect(zip(shown, shown.dropFirst()).allSatisfy { $0 <= $1 })
        }
        #expect(index.planUsage.plans == 1)
    }
}
