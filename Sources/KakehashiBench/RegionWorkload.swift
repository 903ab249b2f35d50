import Foundation
import KakehashiCoverage
import KakehashiDemo
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// The lookups of coordinators across a region: unique points spread over the three prefectures by
/// population — a municipality drawn in proportion to its population, then a point drawn uniformly
/// inside its boundary — each service asked separately, 50 to a page.
struct RegionWorkload {
    static let services: [ServiceKind] = [.homeVisitMedical, .homeVisitNursing, .careManagement]
    static let limit = 50
    /// The stress region's providers lie on the mainland (the islands of Tokyo are left out).
    static let mainland = GeoBox(minLon: 138.9, minLat: 34.9, maxLon: 140.9, maxLat: 36.3)

    let points: [GeoPoint]

    init(count: Int, index: CoverageIndex, population: [String: MunicipalPopulation], seed: UInt64 = 16) {
        var rng = SeededRandom(seed: seed)
        let areas = index.municipalityShapes.compactMap { m -> (Geometry, GeoBox, Int)? in
            guard let people = population[m.code]?.total, people > 0 else { return nil }
            let pts = m.boundary.allPoints
            let box = GeoBox(minLon: pts.map(\.lon).min()!, minLat: pts.map(\.lat).min()!, maxLon: pts.map(\.lon).max()!, maxLat: pts.map(\.lat).max()!)
            return Self.mainland.intersects(box) ? (m.boundary, box, people) : nil
        }
        var cumulative: [Int] = []
        for a in areas { cumulative.append((cumulative.last ?? 0) + a.2) }
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        var points: [GeoPoint] = []
        var seen: Set<String> = []
        while points.count < count {
            let draw = Int(unit() * Double(cumulative.last!))
            let (shape, box, _) = areas[cumulative.firstIndex { $0 > draw }!]
            let p = GeoPoint(lon: box.minLon + unit() * (box.maxLon - box.minLon), lat: box.minLat + unit() * (box.maxLat - box.minLat))
            guard Self.mainland.contains(p), shape.contains(p), seen.insert("\(p.lon),\(p.lat)").inserted else { continue }
            points.append(p)
        }
        self.points = points
    }

    func paths(_ service: ServiceKind) -> [String] {
        points.map { "/v1/coverage?lat=\($0.lat)&lon=\($0.lon)&service=\(service.rawValue)&window=tonight&date=2026-11-24&limit=\(Self.limit)" }
    }

    /// Milliseconds of CPU per query of the engine alone for each service: every point once by the
    /// full scan, `rounds` times by the indexed search (each round printed, then the fastest: the
    /// host's speed drifts, so compare fastest rounds), and once by the default path with cell plans.
    func timeEngine(facts: ProviderFactsSnapshot, planCacheBytes: Int, rounds: Int) {
        let window = CoverageWindow.tonight(CivilDate(year: 2026, month: 11, day: 24))
        let board = OnCallBoard()
        let bare = CoverageIndex(facts, settings: .init(planCacheBytes: 0))
        let planned = CoverageIndex(facts, settings: .init(planCacheBytes: planCacheBytes))
        for service in Self.services {
            func query(_ p: GeoPoint) -> CoverageQuery { CoverageQuery(point: p, services: [service], window: window, limit: Self.limit) }
            func time(_ label: String, _ answer: (CoverageQuery) -> Int) -> Double {
                let t0 = clock()
                var qualifying = 0
                for p in points { qualifying += answer(query(p)) }
                let ms = Double(clock() - t0) / Double(CLOCKS_PER_SEC) * 1000 / Double(points.count)
                print(String(format: "region engine %@ %@: %.3f ms CPU per query (%.0f qualifying on average)", service.rawValue, label, ms,
                             Double(qualifying) / Double(points.count)))
                return ms
            }
            _ = time("full scan") { q in bare.answerByFullScan(q, onCall: board).total }
            let indexed = (1...rounds).map { r in time("indexed search, round \(r)") { q in bare.answer(q, onCall: board).total } }
            if rounds > 1 { print(String(format: "region engine %@ indexed search, fastest round: %.3f ms CPU per query", service.rawValue, indexed.min()!)) }
            _ = time("with cell plans") { q in planned.answer(q, onCall: board).total }
        }
    }
}
