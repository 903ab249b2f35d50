import Foundation
import GRDB
import Testing
@testable import KakehashiStore

/// The packed R*Tree must be one SQLite itself reads, checks and keeps writing: the same boxes an
/// INSERT would store, `rtreecheck()` content, the same answers to window queries, and later inserts
/// and deletes through the virtual table still correct.
@Suite struct RTreeBulkLoadTests {
    /// Boxes over Japan's longitudes and latitudes, some points, some wide, some at negative
    /// coordinates to exercise the rounding away from zero, from a fixed seed.
    static func cells(_ count: Int) -> [(id: Int64, minX: Double, maxX: Double, minY: Double, maxY: Double)] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        return (0..<count).map { i in
            let x = (i % 7 == 0 ? -180 : 122) + next() * 32, y = (i % 11 == 0 ? -60 : 24) + next() * 22
            let w = i % 3 == 0 ? 0 : next() * 0.3, h = i % 3 == 0 ? 0 : next() * 0.3
            return (Int64(i * 3 + 1), x, x + w, y, y + h)
        }
    }

    /// Two R*Trees of the same boxes: `inserted` filled by SQL, `packed` by the bulk load; `then`
    /// runs in the same transaction, after the load.
    static func pair(_ count: Int, then: (Database) throws -> Void = { _ in }) throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        let cells = Self.cells(count)
        try queue.write { db in
            for name in ["inserted", "packed"] {
                try db.execute(sql: "CREATE VIRTUAL TABLE \(name) USING rtree(pkid, xmin, xmax, ymin, ymax)")
            }
            // A box already in the packed tree: the load replaces whatever was there.
            try db.execute(sql: "INSERT INTO packed VALUES (999999, 1, 2, 1, 2)")
            let insert = try db.makeStatement(sql: "INSERT INTO inserted VALUES (?, ?, ?, ?, ?)")
            for c in cells { try insert.execute(arguments: [c.id, c.minX, c.maxX, c.minY, c.maxY]) }
            try RTreeBulkLoad(index: "packed").fill(cells.map {
                RTreeBulkLoad.Cell(id: $0.id, box: RTreeBulkLoad.Box(minX: $0.minX, maxX: $0.maxX, minY: $0.minY, maxY: $0.maxY)!)
            }, db: db)
            try then(db)
        }
        return queue
    }

    static func rows(_ db: Database, _ table: String, _ filter: String = "1") throws -> [[Double]] {
        try Row.fetchAll(db, sql: "SELECT pkid, xmin, xmax, ymin, ymax FROM \(table) WHERE \(filter) ORDER BY pkid").map {
            [$0[0], $0[1], $0[2], $0[3], $0[4]]
        }
    }

    @Test(arguments: [0, 1, 51, 52, 2_601, 10_000])
    func thePackedTreeHoldsWhatInsertsWouldAndSQLiteFindsItWhole(count: Int) throws {
        let queue = try Self.pair(count)
        try queue.read { db in
            #expect(try String.fetchOne(db, sql: "SELECT rtreecheck('packed')") == "ok")
            let packed = try Self.rows(db, "packed")
            #expect(packed.count == count)
            #expect(packed == (try Self.rows(db, "inserted")))
            // Window queries walk the tree from the root: the same rows as the tree SQLite built.
            for (x, y) in [(122.0, 24.0), (130.5, 33.2), (139.7, 35.6), (-170.0, -50.0), (150.0, 45.0)] {
                let window = "xmax >= \(x) AND xmin <= \(x + 2) AND ymax >= \(y) AND ymin <= \(y + 2)"
                #expect(try Self.rows(db, "packed", window) == (try Self.rows(db, "inserted", window)))
            }
        }
    }

    @Test func theModuleKeepsWritingThePackedTree() throws {
        // In the load's own transaction, as an import's triggers would write right after it.
        let queue = try Self.pair(5_000) { db in
            // Deletes take leaves below a third full (the module then reinserts their cells), inserts split full ones.
            try db.execute(sql: "DELETE FROM packed WHERE pkid % 5 <> 0")
            for i in 0..<3_000 { try db.execute(sql: "INSERT INTO packed VALUES (?, 139, 139.5, 35, 35.5)", arguments: [1_000_000 + i]) }
            try db.execute(sql: "UPDATE packed SET xmin = 130, xmax = 131 WHERE pkid % 10 = 0 AND pkid < 1000000")
        }
        let (check, total, moved) = try queue.read { db in
            (try String.fetchOne(db, sql: "SELECT rtreecheck('packed')"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM packed"),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM packed WHERE pkid % 10 = 0 AND pkid < 1000000 AND xmin <= 130.5 AND xmax >= 130.5"))
        }
        #expect(check == "ok")
        #expect(total == 1_000 + 3_000)
        #expect(moved == 500)
    }

    @Test func boxesTheModuleRefusesAreLeftOut() {
        typealias Box = RTreeBulkLoad.Box
        // An empty geometry's MBR in a SpatiaLite blob: +DBL_MAX to -DBL_MAX.
        #expect(Box(minX: .greatestFiniteMagnitude, maxX: -.greatestFiniteMagnitude, minY: .greatestFiniteMagnitude, maxY: -.greatestFiniteMagnitude) == nil)
        #expect(Box(minX: 140, maxX: 139, minY: 35, maxY: 36) == nil)
        #expect(Box(minX: .nan, maxX: 139, minY: 35, maxY: 36) == nil)
        let point = Box(minX: 139.7671, maxX: 139.7671, minY: 35.6812, maxY: 35.6812)
        #expect(point != nil && point!.minX < point!.maxX && Double(point!.minX) <= 139.7671 && Double(point!.maxX) >= 139.7671)
    }

    @Test func aTreeWithoutItsRootIsRefused() throws {
        let queue = try DatabaseQueue()
        try queue.write { db in
            try db.execute(sql: "CREATE VIRTUAL TABLE broken USING rtree(pkid, xmin, xmax, ymin, ymax)")
            try db.execute(sql: "DELETE FROM broken_node")
            #expect(throws: DatabaseError.self) { try RTreeBulkLoad(index: "broken").fill([], db: db) }
        }
    }
}
