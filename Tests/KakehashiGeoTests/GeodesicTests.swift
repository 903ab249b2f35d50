import Foundation
import Testing
@testable import KakehashiGeo

@Suite struct GeodesicTests {
    static let pairs: [(GeoPoint, GeoPoint)] = [
        (GeoPoint(lon: 139.4689, lat: 35.7994), GeoPoint(lon: 139.6200, lat: 35.7994)),  // ~13.6 km east of 所沢市役所
        (GeoPoint(lon: 139.7671, lat: 35.6812), GeoPoint(lon: 135.4959, lat: 34.7025)),  // 東京駅 → 大阪駅
        (GeoPoint(lon: 141.35, lat: 43.06), GeoPoint(lon: 127.68, lat: 26.21)),          // 札幌 → 那覇
        (GeoPoint(lon: 139.97, lat: 35.86), GeoPoint(lon: 139.97, lat: 35.86 + 16_000 / 110_950)),
    ]

    @Test func matchesPROJ() throws {
        for (p, q) in Self.pairs {
            let reference = try #require(Projection.projDistance(p, q))
            #expect(abs(Geodesic.distance(p, q) - reference) < 0.001, "\(p) → \(q)")
        }
        #expect(Geodesic.distance(Self.pairs[0].0, Self.pairs[0].0) == 0)
    }

    @Test func boxHoldsTheCircle() {
        let p = GeoPoint(lon: 139.4689, lat: 35.7994)
        let box = Geodesic.box(around: p, metres: 16_000)
        for bearing in stride(from: 0.0, to: 360, by: 15) {
            // A point just inside 16 km in every direction lies in the box.
            let dLat = cos(bearing * .pi / 180) * 15_990 / 110_950
            let dLon = sin(bearing * .pi / 180) * 15_990 / (111_320 * cos(p.lat * .pi / 180))
            #expect(box.contains(GeoPoint(lon: p.lon + dLon, lat: p.lat + dLat)))
        }
    }
}

@Suite struct ApproximateDistanceTests {
    @Test func withinAMetreUpTo50Kilometres() {
        var worst = 0.0
        for lat in stride(from: 24.0, through: 45.0, by: 3) {
            let p = GeoPoint(lon: 139.5, lat: lat)
            for bearing in stride(from: 0.0, to: 360, by: 30) {
                for km in [0.5, 5, 16, 30, 50] {
                    let q = GeoPoint(lon: p.lon + sin(bearing * .pi / 180) * km * 1000 / (111_320 * cos(lat * .pi / 180)),
                                     lat: p.lat + cos(bearing * .pi / 180) * km * 1000 / 110_950)
                    worst = max(worst, abs(Geodesic.approximate(p, q) - Geodesic.distance(p, q)))
                }
            }
        }
        #expect(worst < 1.0, "worst \(worst) m")
    }

    @Test func fromAFixedPointAgreesWithTheApproximation() {
        var worst = 0.0
        for lat in stride(from: 24.0, through: 45.0, by: 3) {
            let p = GeoPoint(lon: 139.5, lat: lat)
            let around = Geodesic.Around(p)
            for bearing in stride(from: 0.0, to: 360, by: 15) {
                for km in [0.5, 5, 16, 30, 50] {
                    let q = GeoPoint(lon: p.lon + sin(bearing * .pi / 180) * km * 1000 / (111_320 * cos(lat * .pi / 180)),
                                     lat: p.lat + cos(bearing * .pi / 180) * km * 1000 / 110_950)
                    worst = max(worst, abs(around.distance(to: q) - Geodesic.approximate(q, p)))
                }
            }
        }
        #expect(worst < 0.001, "worst \(worst) m")
    }

    @Test func planeBoundsHoldTheDistance() {
        // Bounds must hold the distance; they are useful only if tight (within 2 % at 16 km).
        var outside: [String] = [], loosest = 0.0
        for lat in stride(from: 24.0, through: 45.5, by: 1.5) {
            let p = GeoPoint(lon: 139.5, lat: lat)
            let around = Geodesic.Around(p)
            for bearing in stride(from: 0.0, to: 360, by: 7.5) {
                // A municipality's members (care management) can be 100 km and more away.
                for km in [0.01, 0.5, 5, 15.9, 16, 16.1, 30, 50, 100, 150, 300] {
                    let q = GeoPoint(lon: p.lon + sin(bearing * .pi / 180) * km * 1000 / (111_320 * cos(lat * .pi / 180)),
                                     lat: p.lat + cos(bearing * .pi / 180) * km * 1000 / 110_950)
                    let d = around.distance(to: q), b = around.bounds(to: q)
                    if !(b.lower <= d && d <= b.upper) { outside.append("\(lat) \(bearing) \(km): \(b.lower) \(d) \(b.upper)") }
                    if km == 16 { loosest = max(loosest, (b.upper - b.lower) / d) }
                }
            }
        }
        #expect(outside.isEmpty, "\(outside.count) outside: \(outside.prefix(3))")
        #expect(loosest < 0.02, "loosest at 16 km: \(loosest)")
    }
}
