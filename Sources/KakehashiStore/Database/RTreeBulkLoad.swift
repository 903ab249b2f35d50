import Foundation
import GRDB

/// Fills a SQLite R*Tree from its table at once: the boxes are packed bottom-up by Sort-Tile-Recursive
/// (Leutenegger, Lopez and Edgington, 1997) and written straight into the module's shadow tables
/// (`_node`, `_parent`, `_rowid`) in the format `ext/rtree/rtree.c` documents. Inserting through the
/// virtual table rewrites a leaf, inserts a rowid and often splits nodes for every row, and emptying
/// it deletes row by row (docs/performance.md has the figures). GDAL and SpatiaLite 5.1 bulk-load
/// their indexes into the same tables. Whatever the index held before is replaced.
struct RTreeBulkLoad {
    /// The R*Tree, e.g. `idx_providers_location`.
    let index: String

    /// A box as the module stores it: 32-bit floats, minimum and maximum per axis.
    struct Box {
        var minX: Float, maxX: Float, minY: Float, maxY: Float

        /// The box of a double-precision MBR, each minimum rounded down and maximum up as
        /// `rtreeValueDown`/`rtreeValueUp` do, so a box written here equals one an INSERT of the same
        /// numbers stores. Nil for a box the module refuses: not finite (an empty geometry's MBR is
        /// ±DBL_MAX) or inverted.
        init?(minX: Double, maxX: Double, minY: Double, maxY: Double) {
            self.init(minX: Self.down(minX), maxX: Self.up(maxX), minY: Self.down(minY), maxY: Self.up(maxY))
            guard [self.minX, self.maxX, self.minY, self.maxY].allSatisfy(\.isFinite), self.minX <= self.maxX, self.minY <= self.maxY
            else { return nil }
        }

        init(minX: Float, maxX: Float, minY: Float, maxY: Float) {
            (self.minX, self.maxX, self.minY, self.maxY) = (minX, maxX, minY, maxY)
        }

        private static let towardsZero = 1.0 - 1.0 / 8_388_608.0, awayFromZero = 1.0 + 1.0 / 8_388_608.0
        static func down(_ d: Double) -> Float {
            let f = Float(d)
            return Double(f) > d ? Float(d * (d < 0 ? awayFromZero : towardsZero)) : f
        }
        static func up(_ d: Double) -> Float {
            let f = Float(d)
            return Double(f) < d ? Float(d * (d < 0 ? towardsZero : awayFromZero)) : f
        }

        func union(_ other: Box) -> Box {
            Box(minX: min(minX, other.minX), maxX: max(maxX, other.maxX), minY: min(minY, other.minY), maxY: max(maxY, other.maxY))
        }
        var centreX: Float { minX / 2 + maxX / 2 }
        var centreY: Float { minY / 2 + maxY / 2 }
    }

    /// One cell of a node: a table rowid in a leaf, the position of a child node one level down in a branch.
    struct Cell {
        var id: Int64
        var box: Box
    }

    /// Replaces the index's content with the boxes of `table.column`'s geometries (SpatiaLite's
    /// MBRs). Like the `RTreeAlign` triggers, it leaves out geometries without a usable box; unlike
    /// them it does not pass the numbers through 12-decimal text, which may move a bound by one
    /// float step, always outwards.
    func fill(from table: String, column: String, db: Database) throws {
        var cells: [Cell] = []
        let rows = try Row.fetchCursor(db, sql: """
            SELECT rowid, MbrMinX("\(column)"), MbrMaxX("\(column)"), MbrMinY("\(column)"), MbrMaxY("\(column)")
            FROM "\(table)" WHERE "\(column)" IS NOT NULL
            """)
        while let row = try rows.next() {
            guard let minX = row[1] as Double?, let maxX = row[2] as Double?, let minY = row[3] as Double?,
                  let maxY = row[4] as Double?, let box = Box(minX: minX, maxX: maxX, minY: minY, maxY: maxY) else { continue }
            cells.append(Cell(id: row[0], box: box))
        }
        try fill(cells, db: db)
    }

    /// Replaces the index's content with `cells` (table rowids and their boxes).
    func fill(_ cells: [Cell], db: Database) throws {
        // The node size was fixed when the table was made (from the page size); it is the root's length.
        guard let nodeSize = try Int.fetchOne(db, sql: "SELECT length(data) FROM \"\(index)_node\" WHERE nodeno = 1"),
              nodeSize >= 4 + 2 * Self.cellBytes else {
            throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "空間索引 \(index) に根ノードがなく、ノードの大きさが分かりません（索引が壊れています）")
        }
        let levels = Self.pack(cells, capacity: (nodeSize - 4) / Self.cellBytes)
        for shadow in ["node", "parent", "rowid"] { try db.execute(sql: "DELETE FROM \"\(index)_\(shadow)\"") }
        try write(levels, nodeSize: nodeSize, db: db)
    }

    /// 8 bytes of rowid or node number, then four 32-bit coordinates.
    static let cellBytes = 24

    /// The tree's levels, leaves first and the root (one node) last. Each level is cut into vertical
    /// slices by centre x, each slice into runs by centre y, as evenly as the capacity allows.
    static func pack(_ cells: [Cell], capacity: Int) -> [[[Cell]]] {
        var levels = [packLevel(cells, capacity: capacity)]
        while levels[levels.count - 1].count > 1 {
            let below = levels[levels.count - 1]
            let branches = below.indices.map { i in
                Cell(id: Int64(i), box: below[i].dropFirst().reduce(below[i][0].box) { $0.union($1.box) })
            }
            levels.append(packLevel(branches, capacity: capacity))
        }
        return levels
    }

    private static func packLevel(_ cells: [Cell], capacity: Int) -> [[Cell]] {
        guard cells.count > capacity else { return [cells] }
        let nodes = (cells.count + capacity - 1) / capacity
        let slices = Int(Double(nodes).squareRoot().rounded(.up))
        // Ties by id keep the tree the same for the same rows.
        let byX = cells.sorted { ($0.box.centreX, $0.id) < ($1.box.centreX, $1.id) }
        var out: [[Cell]] = []
        out.reserveCapacity(nodes)
        for slice in evenRuns(byX.count, parts: slices) {
            let byY = byX[slice].sorted { ($0.box.centreY, $0.id) < ($1.box.centreY, $1.id) }
            let inSlice = (byY.count + capacity - 1) / capacity
            for run in evenRuns(byY.count, parts: inSlice) { out.append(Array(byY[run])) }
        }
        return out
    }

    /// `count` positions cut into `parts` consecutive ranges whose lengths differ by at most one.
    private static func evenRuns(_ count: Int, parts: Int) -> [Range<Int>] {
        (0..<parts).map { p in (count * p / parts) ..< (count * (p + 1) / parts) }
    }

    /// Writes the nodes (the root as node 1, the others numbered level by level from the top), each
    /// node's parent and each rowid's leaf.
    private func write(_ levels: [[[Cell]]], nodeSize: Int, db: Database) throws {
        var numbers: [[Int64]] = Array(repeating: [], count: levels.count)
        var next: Int64 = 1
        for level in levels.indices.reversed() {
            let count = Int64(levels[level].count)
            numbers[level] = Array(next ..< next + count)
            next += count
        }
        let node = try db.makeStatement(sql: "INSERT INTO \"\(index)_node\" (nodeno, data) VALUES (?, ?)")
        let parent = try db.makeStatement(sql: "INSERT INTO \"\(index)_parent\" (nodeno, parentnode) VALUES (?, ?)")
        for level in levels.indices.reversed() {
            let leaf = level == 0
            for (i, cells) in levels[level].enumerated() {
                let depth = level == levels.count - 1 ? level : 0
                let blob = Self.nodeBlob(cells, depth: depth, size: nodeSize) { id in leaf ? id : numbers[level - 1][Int(id)] }
                try node.execute(arguments: [numbers[level][i], blob])
                if !leaf {
                    for cell in cells { try parent.execute(arguments: [numbers[level - 1][Int(cell.id)], numbers[level][i]]) }
                }
            }
        }
        var leafOf: [(rowid: Int64, node: Int64)] = []
        leafOf.reserveCapacity(levels[0].reduce(0) { $0 + $1.count })
        for (i, cells) in levels[0].enumerated() { for cell in cells { leafOf.append((cell.id, numbers[0][i])) } }
        leafOf.sort { $0.rowid < $1.rowid }
        let rowid = try db.makeStatement(sql: "INSERT INTO \"\(index)_rowid\" (rowid, nodeno) VALUES (?, ?)")
        for entry in leafOf { try rowid.execute(arguments: [entry.rowid, entry.node]) }
    }

    /// A node as rtree.c reads it: the tree's depth (root only) and the cell count as big-endian
    /// 16-bit numbers, then each cell's 64-bit id and its box, all big-endian, zeros to the node size.
    /// `storedID`: what a cell's id is written as (a child's node number in a branch).
    static func nodeBlob(_ cells: [Cell], depth: Int, size: Int, storedID: (Int64) -> Int64) -> Data {
        var bytes = [UInt8](repeating: 0, count: size)
        func put<T: FixedWidthInteger>(_ value: T, at offset: Int) {
            withUnsafeBytes(of: value.bigEndian) { for (k, b) in $0.enumerated() { bytes[offset + k] = b } }
        }
        put(UInt16(depth), at: 0)
        put(UInt16(cells.count), at: 2)
        for (k, cell) in cells.enumerated() {
            let at = 4 + k * cellBytes
            put(storedID(cell.id), at: at)
            for (j, c) in [cell.box.minX, cell.box.maxX, cell.box.minY, cell.box.maxY].enumerated() { put(c.bitPattern, at: at + 8 + 4 * j) }
        }
        return Data(bytes)
    }
}
