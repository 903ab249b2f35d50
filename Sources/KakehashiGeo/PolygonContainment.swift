extension Geometry {
    /// Whether a point lies inside a polygon or multipolygon (even–odd rule over every ring, so holes
    /// count as outside). Points exactly on an edge may fall either way.
    public func contains(_ p: GeoPoint) -> Bool {
        guard let polygons else { return false }
        return polygons.contains { rings in
            rings.reduce(false) { inside, ring in inside != Self.ringContains(ring, p) }
        }
    }

    static func ringContains(_ ring: [GeoPoint], _ p: GeoPoint) -> Bool {
        var inside = false
        var j = ring.count - 1
        for i in 0..<ring.count {
            let a = ring[i], b = ring[j]
            if (a.lat > p.lat) != (b.lat > p.lat),
               p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}
