import Foundation

/// Distances on the WGS84 ellipsoid (GRS80 differs by 0.1 mm in b), by Vincenty's inverse
/// formula: accurate to well under a millimetre for the distances Kakehashi asks about. Nearly
/// antipodal points, which never occur here, fall back to the spherical distance.
public enum Geodesic {
    static let a = 6_378_137.0
    static let f = 1 / 298.257_223_563
    static let b = a * (1 - f)

    /// Metres between two points along the ellipsoid.
    public static func distance(_ p: GeoPoint, _ q: GeoPoint) -> Double { Toward(q).distance(from: p) }

    /// ``distance(_:_:)`` from many points to one: the fixed point's reduced latitude, its sine and
    /// cosine are worked out once (a third of the trigonometry of a short line). The same
    /// arithmetic in the same order, so the same result to the bit.
    public struct Toward: Sendable {
        let q: GeoPoint
        let sinU2: Double, cosU2: Double

        public init(_ q: GeoPoint) {
            self.q = q
            (sinU2, cosU2) = Geodesic.reducedLatitude(q)
        }

        public func distance(from p: GeoPoint) -> Double {
            let (sinU1, cosU1) = Geodesic.reducedLatitude(p)
            return distance(from: p, sinU1: sinU1, cosU1: cosU1)
        }

        /// From a point whose ``Geodesic/reducedLatitude(_:)`` is known.
        public func distance(from p: GeoPoint, sinU1: Double, cosU1: Double) -> Double {
            if p == q { return 0 }
            let L = (q.lon - p.lon) * .pi / 180
            // Started from the first-order solution of λ = L + f sinα σ + … for short lines
            // (sinα σ ≈ cosU₁ cosU₂ λ) instead of L: three steps instead of four, to the same
            // 1e-12 rad (results move by micrometres).
            var lambda = L / (1 - f * cosU1 * cosU2)
            for _ in 0..<100 {
                let sinL = sin(lambda), cosL = cos(lambda)
                let sinSigma = ((cosU2 * sinL) * (cosU2 * sinL) + (cosU1 * sinU2 - sinU1 * cosU2 * cosL) * (cosU1 * sinU2 - sinU1 * cosU2 * cosL)).squareRoot()
                if sinSigma == 0 { return 0 }
                let cosSigma = sinU1 * sinU2 + cosU1 * cosU2 * cosL
                let sigma = atan2(sinSigma, cosSigma)
                let sinAlpha = cosU1 * cosU2 * sinL / sinSigma
                let cos2Alpha = 1 - sinAlpha * sinAlpha
                let cos2SigmaM = cos2Alpha == 0 ? 0 : cosSigma - 2 * sinU1 * sinU2 / cos2Alpha
                let C = f / 16 * cos2Alpha * (4 + f * (4 - 3 * cos2Alpha))
                let previous = lambda
                lambda = L + (1 - C) * f * sinAlpha * (sigma + C * sinSigma * (cos2SigmaM + C * cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)))
                if abs(lambda - previous) < 1e-12 {
                    let u2 = cos2Alpha * (a * a - b * b) / (b * b)
                    let A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
                    let B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
                    let deltaSigma = B * sinSigma * (cos2SigmaM + B / 4 * (cosSigma * (-1 + 2 * cos2SigmaM * cos2SigmaM)
                        - B / 6 * cos2SigmaM * (-3 + 4 * sinSigma * sinSigma) * (-3 + 4 * cos2SigmaM * cos2SigmaM)))
                    return b * A * (sigma - deltaSigma)
                }
            }
            return spherical(p, q)
        }
    }

    /// The sine and cosine of a point's reduced latitude, the part of ``distance(_:_:)`` that
    /// depends on one end alone.
    public static func reducedLatitude(_ p: GeoPoint) -> (sin: Double, cos: Double) {
        let U = atan((1 - f) * tan(p.lat * .pi / 180))
        return (sin(U), cos(U))
    }

    /// Great-circle distance on the sphere of mean radius; a fallback and a quick upper bound.
    public static func spherical(_ p: GeoPoint, _ q: GeoPoint) -> Double {
        let r = 6_371_008.8
        let dLat = (q.lat - p.lat) * .pi / 180, dLon = (q.lon - p.lon) * .pi / 180
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(p.lat * .pi / 180) * cos(q.lat * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, h.squareRoot()))
    }

    /// A box in degrees that holds every point within `metres` of `p` (generously).
    public static func box(around p: GeoPoint, metres: Double) -> GeoBox {
        let dLat = metres / 110_574 * 1.01
        let dLon = metres / (111_320 * max(0.01, cos(p.lat * .pi / 180))) * 1.01
        return GeoBox(minLon: p.lon - dLon, minLat: p.lat - dLat, maxLon: p.lon + dLon, maxLat: p.lat + dLat)
    }
}

extension Geodesic {
    /// A fast distance for short ranges: the ellipsoid's radii of curvature at the middle latitude,
    /// on a local plane. Within 50 km in Japan it stays within a metre of ``distance(_:_:)``
    /// (tested), at a fraction of the cost; lookups use it to rank many candidates and use the exact
    /// distance for what they report and for decisions near a limit.
    public static func approximate(_ p: GeoPoint, _ q: GeoPoint) -> Double {
        let e2 = f * (2 - f)
        let phi = (p.lat + q.lat) / 2 * .pi / 180
        let s = sin(phi)
        let w = (1 - e2 * s * s).squareRoot()
        let m = a * (1 - e2) / (w * w * w)  // meridional radius
        let n = a / w                       // prime-vertical radius
        let dy = (q.lat - p.lat) * .pi / 180 * m
        let dx = (q.lon - p.lon) * .pi / 180 * n * cos(phi)
        return (dx * dx + dy * dy).squareRoot()
    }
}

extension Geodesic {
    /// A ring of `steps` points at `metres` around `p`, on the sphere of mean radius: for drawing
    /// a radius area (within 0.5 % of the ellipsoidal distance; decisions use ``distance(_:_:)``).
    public static func circle(around p: GeoPoint, metres: Double, steps: Int = 72) -> [GeoPoint] {
        let r = 6_371_008.8, delta = metres / r
        let phi1 = p.lat * .pi / 180, lambda1 = p.lon * .pi / 180
        var ring: [GeoPoint] = (0..<steps).map { i in
            let theta = Double(i) / Double(steps) * 2 * .pi
            let phi2 = asin(sin(phi1) * cos(delta) + cos(phi1) * sin(delta) * cos(theta))
            let lambda2 = lambda1 + atan2(sin(theta) * sin(delta) * cos(phi1), cos(delta) - sin(phi1) * sin(phi2))
            return GeoPoint(lon: (lambda2 * 180 / .pi * 1e6).rounded() / 1e6, lat: (phi2 * 180 / .pi * 1e6).rounded() / 1e6)
        }
        ring.append(ring[0])
        return ring
    }
}

extension Geodesic {
    /// ``approximate(_:_:)`` from one fixed point to many: the sine and cosine of the middle
    /// latitude come from the fixed point's by a second-order expansion (the half-difference of
    /// latitudes stays below 0.005 rad within 50 km, so the expansion adds under a millimetre),
    /// which spares two trigonometric calls per distance in the lookup's inner loop.
    public struct Around: Sendable {
        public let origin: GeoPoint
        let sinPhi: Double, cosPhi: Double
        /// Metres per degree east and north at the origin, for ``bounds(to:)``.
        let east: Double, north: Double

        public init(_ origin: GeoPoint) {
            self.origin = origin
            let phi = origin.lat * .pi / 180
            sinPhi = sin(phi)
            cosPhi = cos(phi)
            let e2 = f * (2 - f)
            let w = (1 - e2 * sinPhi * sinPhi).squareRoot()
            north = a * (1 - e2) / (w * w * w) * .pi / 180
            east = a / w * cosPhi * .pi / 180
        }

        /// Bounds on ``distance(to:)`` from the plane at the origin, with no division or
        /// trigonometry: enough to decide most points far from a limit. The plane's radii are the
        /// origin's, not the middle latitude's; their ratio stays within half the difference of
        /// latitudes (in radians) in Japan, which the bounds allow twice over.
        public func bounds(to p: GeoPoint) -> (lower: Double, upper: Double) {
            let dLat = p.lat - origin.lat
            let dy = dLat * north, dx = (p.lon - origin.lon) * east
            let plane = (dx * dx + dy * dy).squareRoot()
            let slack = abs(dLat) * .pi / 180 + 1e-5
            return (plane * (1 - slack), plane * (1 + 2 * slack))
        }

        public func distance(to p: GeoPoint) -> Double {
            let e2 = f * (2 - f)
            let d = (p.lat - origin.lat) / 2 * .pi / 180
            let d2 = d * d / 2
            let s = sinPhi * (1 - d2) + cosPhi * d     // sin(φ + δ)
            let c = cosPhi * (1 - d2) - sinPhi * d     // cos(φ + δ)
            let w = (1 - e2 * s * s).squareRoot()
            let m = a * (1 - e2) / (w * w * w)
            let n = a / w
            let dy = (origin.lat - p.lat) * .pi / 180 * m
            let dx = (origin.lon - p.lon) * .pi / 180 * n * c
            return (dx * dx + dy * dy).squareRoot()
        }
    }
}
