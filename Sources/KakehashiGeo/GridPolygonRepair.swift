import CGEOS

/// Makes polygons snapped to a tile's integer grid valid, as the MVT specification requires of
/// polygon geometry (no self-intersection, no self-tangency). Snapping a ring to whole tile units
/// and clipping it at the buffer can make it touch or cross itself — a municipality drawn in a few
/// pixels at z0–z2, a ring that leaves and re-enters the clip square and runs back along its edge.
/// GEOS repairs the geometry and reduces it to the unit grid with snap-rounding, whose output is
/// valid; a ring that collapses on the grid goes.
public enum GridPolygonRepair {
    /// Polygons as rings of grid points (not closed): the first ring of each is its exterior.
    public typealias Polygons = [[[(Int32, Int32)]]]

    /// The polygons as they are where they cannot be invalid (one triangle, or one rectangle whose
    /// edges run along the grid — every mesh cell), else repaired by GEOS.
    public static func valid(_ polygons: Polygons) -> Polygons {
        if polygons.count == 1, polygons[0].count == 1, isTriangleOrGridRectangle(polygons[0][0]) { return polygons }
        guard let handle = GEOS_init_r() else { return [] }
        defer { GEOS_finish_r(handle) }
        var parts: [OpaquePointer?] = polygons.compactMap { polygon(handle, $0) }
        guard !parts.isEmpty,
              let input = GEOSGeom_createCollection_r(handle, Int32(GEOS_MULTIPOLYGON.rawValue), &parts, UInt32(parts.count))
        else { return [] }
        defer { GEOSGeom_destroy_r(handle, input) }
        // Most polygons are valid as snapped: checking costs a fifth of repairing (measured on municipal tiles).
        if GEOSisValid_r(handle, input) == 1 { return polygons }
        guard let made = GEOSMakeValid_r(handle, input) else { return [] }
        defer { GEOSGeom_destroy_r(handle, made) }
        guard let gridded = GEOSGeom_setPrecision_r(handle, made, 1.0, 0) else { return [] }
        defer { GEOSGeom_destroy_r(handle, gridded) }
        return extracted(handle, gridded)
    }

    static func isTriangleOrGridRectangle(_ ring: [(Int32, Int32)]) -> Bool {
        if ring.count == 3 { return true }
        guard ring.count == 4 else { return false }
        let xs = Set(ring.map(\.0)), ys = Set(ring.map(\.1))
        guard xs.count == 2, ys.count == 2 else { return false }
        // Every edge along the grid: consecutive corners share an x or a y.
        return (0..<4).allSatisfy { i in
            let a = ring[i], b = ring[(i + 1) % 4]
            return (a.0 == b.0) != (a.1 == b.1)
        }
    }

    private static func polygon(_ h: GEOSContextHandle_t, _ rings: [[(Int32, Int32)]]) -> OpaquePointer? {
        guard let shell = linearRing(h, rings[0]) else { return nil }
        var holes: [OpaquePointer?] = rings.dropFirst().compactMap { linearRing(h, $0) }
        return GEOSGeom_createPolygon_r(h, shell, &holes, UInt32(holes.count))
    }

    private static func linearRing(_ h: GEOSContextHandle_t, _ ring: [(Int32, Int32)]) -> OpaquePointer? {
        guard ring.count >= 3, let seq = GEOSCoordSeq_create_r(h, UInt32(ring.count + 1), 2) else { return nil }
        for (i, p) in (ring + [ring[0]]).enumerated() {
            GEOSCoordSeq_setXY_r(h, seq, UInt32(i), Double(p.0), Double(p.1))
        }
        return GEOSGeom_createLinearRing_r(h, seq)
    }

    /// The polygons of a GEOS geometry (lines and points a repair leaves are dropped).
    private static func extracted(_ h: GEOSContextHandle_t, _ g: OpaquePointer) -> Polygons {
        switch GEOSGeomTypeId_r(h, g) {
        case Int32(GEOS_POLYGON.rawValue):
            guard let shell = GEOSGetExteriorRing_r(h, g) else { return [] }
            var rings = [points(h, shell)]
            guard rings[0].count >= 3 else { return [] }
            for i in 0..<max(0, GEOSGetNumInteriorRings_r(h, g)) {
                if let hole = GEOSGetInteriorRingN_r(h, g, i).map({ points(h, $0) }), hole.count >= 3 { rings.append(hole) }
            }
            return [rings]
        case Int32(GEOS_MULTIPOLYGON.rawValue), Int32(GEOS_GEOMETRYCOLLECTION.rawValue):
            return (0..<max(0, GEOSGetNumGeometries_r(h, g))).flatMap { i in
                GEOSGetGeometryN_r(h, g, i).map { extracted(h, $0) } ?? []
            }
        default:
            return []
        }
    }

    /// A ring's points without the closing repeat.
    private static func points(_ h: GEOSContextHandle_t, _ ring: OpaquePointer) -> [(Int32, Int32)] {
        guard let seq = GEOSGeom_getCoordSeq_r(h, ring) else { return [] }
        var size: UInt32 = 0
        GEOSCoordSeq_getSize_r(h, seq, &size)
        var out: [(Int32, Int32)] = []
        out.reserveCapacity(Int(size))
        for i in 0..<size {
            var x = 0.0, y = 0.0
            GEOSCoordSeq_getXY_r(h, seq, i, &x, &y)
            out.append((Int32(x.rounded()), Int32(y.rounded())))
        }
        if out.count > 1, out.first! == out.last! { out.removeLast() }
        return out
    }
}
