import KakehashiGeo

/// Square grid cells, sorted by column then row: a distance search finds the cells near its circle
/// by a binary search per column. The cell's number `k` indexes whatever the owner keeps per cell.
struct CellRanges: Sendable {
    let degrees: Double
    let keys: [Int64]

    /// The cell key of a point: column × 100,000 + row.
    static func key(_ lon: Double, _ lat: Double, degrees: Double) -> Int64 {
        Int64((lon / degrees).rounded(.down)) * 100_000 + Int64((lat / degrees).rounded(.down))
    }

    /// Calls `body` with the number and box of every cell whose nearest point to `p` lies within
    /// `metres` (generous by 1 % and 10 m: the distance is approximate), and that nearest point's
    /// distance by ``Geodesic/Around``.
    func forEach(near p: GeoPoint, metres: Double, _ body: (Int, GeoBox, Double) -> Void) {
        let around = Geodesic.Around(p)
        let box = Geodesic.box(around: p, metres: metres)
        let x0 = Int64((box.minLon / degrees).rounded(.down)), x1 = Int64((box.maxLon / degrees).rounded(.down))
        let y0 = Int64((box.minLat / degrees).rounded(.down)), y1 = Int64((box.maxLat / degrees).rounded(.down))
        let limit = metres * 1.01 + 10
        keys.withUnsafeBufferPointer { keys in
            for x in x0...x1 {
                // The column's cells from row y0 on: binary search, then a walk.
                let first = x * 100_000 + y0, last = x * 100_000 + y1
                var lo = 0, hi = keys.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if keys[mid] < first { lo = mid + 1 } else { hi = mid }
                }
                var k = lo
                while k < keys.count, keys[k] <= last {
                    let y = keys[k] - x * 100_000
                    let cell = GeoBox(minLon: Double(x) * degrees, minLat: Double(y) * degrees, maxLon: Double(x + 1) * degrees, maxLat: Double(y + 1) * degrees)
                    let near = GeoPoint(lon: min(max(p.lon, cell.minLon), cell.maxLon), lat: min(max(p.lat, cell.minLat), cell.maxLat))
                    let nearest = around.distance(to: near)
                    if nearest <= limit { body(k, cell, nearest) }
                    k += 1
                }
            }
        }
    }
}

/// Provider numbers by square grid cell, in one flat array, each cell's members contiguous. A
/// distance search reads the cells near its circle straight from the array; the dictionary of
/// arrays it replaces cost a hash lookup, a copy and a reference-count change per cell.
struct CellTable: Sendable {
    let cells: CellRanges
    private let starts: [Int32]
    private let members: [Int32]

    var degrees: Double { cells.degrees }

    init(degrees: Double, cells: [Int64: [Int32]]) {
        let sorted = cells.keys.sorted()
        var starts: [Int32] = [0], members: [Int32] = []
        for key in sorted {
            members += cells[key] ?? []
            starts.append(Int32(members.count))
        }
        self.cells = CellRanges(degrees: degrees, keys: sorted)
        self.starts = starts
        self.members = members
    }

    static func key(_ lon: Double, _ lat: Double, degrees: Double) -> Int64 { CellRanges.key(lon, lat, degrees: degrees) }

    /// Calls `body` with the members of every cell whose nearest point to `p` lies within `metres`
    /// (generous by 1 % and 10 m: the distance is approximate).
    func forEach(near p: GeoPoint, metres: Double, _ body: (UnsafeBufferPointer<Int32>) -> Void) {
        members.withUnsafeBufferPointer { members in
            cells.forEach(near: p, metres: metres) { k, _, _ in
                body(UnsafeBufferPointer(rebasing: members[Int(starts[k])..<Int(starts[k + 1])]))
            }
        }
    }
}
