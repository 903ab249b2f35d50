import CProj

/// A PROJ transformation from WGS84 longitude/latitude to a projected CRS, x = easting, y = northing.
///
/// A `PJ_CONTEXT` belongs to one thread at a time, so an instance is not `Sendable`: keep one per task.
/// See <https://proj.org/en/stable/development/reference/functions.html>.
public final class Projection {
    private let context: OpaquePointer
    private let operation: OpaquePointer

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// - Parameters:
    ///   - target: e.g. `"EPSG:6677"` (JGD2011 plane rectangular zone IX).
    ///   - authorityOrder: keep each CRS's axes in the order its authority defines (EPSG:6668 latitude
    ///     first, a plane rectangular zone X = northing first), as `cs2cs` and OGC API – Features
    ///     Part 2 write them; otherwise x is always longitude or easting.
    public init(from source: String = "EPSG:4326", to target: String, authorityOrder: Bool = false) throws {
        guard let ctx = proj_context_create() else { throw Failure(description: "PROJ context を作れません") }
        guard let raw = proj_create_crs_to_crs(ctx, source, target, nil) else {
            let message = String(cString: proj_context_errno_string(ctx, proj_context_errno(ctx)))
            proj_context_destroy(ctx)
            throw Failure(description: "PROJ: \(source) → \(target): \(message)")
        }
        if authorityOrder {
            context = ctx
            operation = raw
            return
        }
        // Authorities put latitude first for EPSG:4326; normalise so x is always longitude/easting.
        guard let normalised = proj_normalize_for_visualization(ctx, raw) else {
            proj_destroy(raw)
            proj_context_destroy(ctx)
            throw Failure(description: "PROJ: 軸順の正規化に失敗しました")
        }
        proj_destroy(raw)
        context = ctx
        operation = normalised
    }

    deinit {
        proj_destroy(operation)
        proj_context_destroy(context)
    }

    /// Projects a point; returns (x, y) in the target CRS's units.
    public func forward(_ p: GeoPoint) -> (x: Double, y: Double) {
        let out = proj_trans(operation, PJ_FWD, proj_coord(p.lon, p.lat, 0, 0))
        return (out.xy.x, out.xy.y)
    }

    /// A coordinate pair through the operation, forward or back, in the axis order it was made with.
    public func transform(_ a: Double, _ b: Double, inverse: Bool = false) -> (Double, Double) {
        let out = proj_trans(operation, inverse ? PJ_INV : PJ_FWD, proj_coord(a, b, 0, 0))
        return (out.v.0, out.v.1)
    }

    /// The JGD2011 plane rectangular zone (EPSG:6669–6687) conventionally used for a prefecture code.
    public static func planeRectangularEPSG(prefectureCode: Int) -> Int? {
        // Zone per prefecture, after the 国土交通省告示 (the main zone; islands may differ).
        let zones: [Int: Int] = [
            1: 12, 2: 10, 3: 10, 4: 10, 5: 10, 6: 10, 7: 9, 8: 9, 9: 9, 10: 9, 11: 9, 12: 9, 13: 9, 14: 9,
            15: 8, 16: 7, 17: 7, 18: 6, 19: 8, 20: 8, 21: 7, 22: 8, 23: 7, 24: 6, 25: 6, 26: 6, 27: 6,
            28: 5, 29: 6, 30: 6, 31: 5, 32: 3, 33: 5, 34: 3, 35: 3, 36: 4, 37: 4, 38: 4, 39: 4, 40: 2,
            41: 2, 42: 1, 43: 2, 44: 2, 45: 2, 46: 2, 47: 15,
        ]
        return zones[prefectureCode].map { 6668 + $0 }
    }
}

extension Projection {
    /// Geodesic distance by PROJ (Karney's algorithm) on the WGS84 ellipsoid: the reference that
    /// ``Geodesic/distance(_:_:)`` is tested against.
    public static func projDistance(_ p: GeoPoint, _ q: GeoPoint) -> Double? {
        guard let ctx = proj_context_create() else { return nil }
        defer { proj_context_destroy(ctx) }
        guard let ellps = proj_create(ctx, "+proj=longlat +ellps=WGS84") else { return nil }
        defer { proj_destroy(ellps) }
        let a = proj_coord(p.lon * .pi / 180, p.lat * .pi / 180, 0, 0)
        let b = proj_coord(q.lon * .pi / 180, q.lat * .pi / 180, 0, 0)
        return proj_lp_dist(ellps, a, b)
    }
}
