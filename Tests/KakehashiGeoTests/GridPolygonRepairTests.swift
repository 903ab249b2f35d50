import Testing
@testable import KakehashiGeo

/// Polygons snapped to the tile grid come out valid, as MVT 2.1 requires: no ring crosses or touches
/// itself, and what is left covers the area the valid part had.
@Suite struct GridPolygonRepairTests {
    typealias Ring = [(Int32, Int32)]

    /// Twice the signed area (positive: clockwise on screen, y down).
    static func area(_ r: Ring) -> Int64 { VectorTileEncoder.area(r) }

    /// Whether a ring is simple: no vertex twice, and no two edges meet but neighbours at their shared end.
    static func isSimple(_ r: Ring) -> Bool {
        guard Set(r.map { "\($0.0),\($0.1)" }).count == r.count else { return false }
        func cross(_ o: (Int32, Int32), _ a: (Int32, Int32), _ b: (Int32, Int32)) -> Int64 {
            Int64(a.0 - o.0) * Int64(b.1 - o.1) - Int64(a.1 - o.1) * Int64(b.0 - o.0)
        }
        func onSegment(_ p: (Int32, Int32), _ a: (Int32, Int32), _ b: (Int32, Int32)) -> Bool {
            cross(a, b, p) == 0 && min(a.0, b.0) <= p.0 && p.0 <= max(a.0, b.0) && min(a.1, b.1) <= p.1 && p.1 <= max(a.1, b.1)
        }
        func meet(_ a: (Int32, Int32), _ b: (Int32, Int32), _ c: (Int32, Int32), _ d: (Int32, Int32)) -> Bool {
            let d1 = cross(c, d, a), d2 = cross(c, d, b), d3 = cross(a, b, c), d4 = cross(a, b, d)
            if (d1 > 0) != (d2 > 0) && d1 != 0 && d2 != 0 && (d3 > 0) != (d4 > 0) && d3 != 0 && d4 != 0 { return true }
            return onSegment(a, c, d) || onSegment(b, c, d) || onSegment(c, a, b) || onSegment(d, a, b)
        }
        let n = r.count
        for i in 0..<n {
            for j in (i + 1)..<n where j != i + 1 && !(i == 0 && j == n - 1) {
                if meet(r[i], r[(i + 1) % n], r[j], r[(j + 1) % n]) { return false }
            }
        }
        return true
    }

    @Test func aMeshCellIsLeftAsItIs() {
        let cell: Ring = [(0, 0), (40, 0), (40, 30), (0, 30)]
        let out = GridPolygonRepair.valid([[cell]])
        #expect(out.count == 1 && out[0].count == 1 && out[0][0].elementsEqual(cell, by: ==))
    }

    @Test func aBowTieBecomesTwoSimpleTriangles() {
        let bowTie: Ring = [(0, 0), (10, 10), (10, 0), (0, 10)]
        #expect(!Self.isSimple(bowTie))
        let out = GridPolygonRepair.valid([[bowTie]])
        #expect(out.count == 2)
        #expect(out.allSatisfy { $0.count == 1 && Self.isSimple($0[0]) })
        #expect(out.map { abs(Self.area($0[0])) }.reduce(0, +) == 100)  // two triangles of 25, doubled
    }

    @Test func aSpikeAlongTheClipEdgeGoes() {
        // What clipping leaves where a ring leaves the square and comes back: out along x = 10 and back.
        let spiked: Ring = [(0, 0), (20, 0), (20, 10), (10, 10), (10, 20), (10, 10), (0, 10)]
        #expect(!Self.isSimple(spiked))
        let out = GridPolygonRepair.valid([[spiked]])
        #expect(out.count == 1 && out[0].count == 1)
        #expect(Self.isSimple(out[0][0]))
        #expect(abs(Self.area(out[0][0])) == 400)
    }

    @Test func aHoleTouchingItsExteriorIsResolved() {
        // A hole whose corner lies on the exterior: self-tangent after snapping.
        let exterior: Ring = [(0, 0), (30, 0), (30, 30), (0, 30)], hole: Ring = [(0, 10), (10, 10), (10, 20)]
        let out = GridPolygonRepair.valid([[exterior, hole]])
        #expect(!out.isEmpty)
        #expect(out.allSatisfy { $0.allSatisfy(Self.isSimple) })
        let total = out.map { p in abs(Self.area(p[0])) - p.dropFirst().map { abs(Self.area($0)) }.reduce(0, +) }.reduce(0, +)
        #expect(total == 1_800 - 100)
    }

    @Test func aRingCollapsedOnTheGridIsDropped() {
        #expect(GridPolygonRepair.valid([[[(0, 0), (5, 0), (10, 0), (5, 0)]]]).isEmpty)
    }
}
