import Foundation
import GRDB

/// SpatiaLite keeps a geometry column's R*Tree and its `geometry_columns_time` stamps with triggers
/// that run for every row written (an R*Tree delete and insert, an UPDATE of the stamps). A load of
/// many rows drops those triggers, writes, then puts them back and fills the R*Tree once from the
/// table — all inside the load's transaction, so a load that fails leaves triggers and index as
/// they were. The geometry checks (`ggi_`/`ggu_`, a subquery per row) rest too and are made once
/// over the table at the end, by their own condition: a row that fails them fails the load.
struct SpatialIndexPause {
    /// Below this many rows the triggers are cheaper than filling the index anew.
    static let worthFrom = 20_000

    let table: String
    let column: String
    private let triggers: [String]
    /// Whether the geometry checks were among them (then made once at the end).
    private let checksRest: Bool

    /// Runs `write` with the index and stamp triggers of `table.column` dropped when `rows` reaches
    /// ``worthFrom``; otherwise just runs it.
    static func around<T>(table: String, column: String, rows: Int, db: Database, _ write: () throws -> T) throws -> T {
        guard rows >= worthFrom else { return try write() }
        let pause = try SpatialIndexPause(table: table, column: column, db: db)
        let result = try write()
        try pause.end(db)
        return result
    }

    private init(table: String, column: String, db: Database) throws {
        self.table = table
        self.column = column
        let names = ["gii", "giu", "gid", "tmi", "tmu", "tmd", "ggi", "ggu"].map { "\($0)_\(table)_\(column)" }
        let rows = try Row.fetchAll(db, sql: """
            SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ? AND name IN (\(names.map { _ in "?" }.joined(separator: ",")))
            """, arguments: StatementArguments([table] + names))
        // An index that is not there (or triggers named otherwise) is left alone.
        guard rows.contains(where: { ($0["name"] as String).hasPrefix("gii_") }) else {
            triggers = []
            checksRest = false
            return
        }
        triggers = rows.map { $0["sql"] }
        checksRest = rows.contains { ["ggi_", "ggu_"].contains(String(($0["name"] as String).prefix(4))) }
        for r in rows { try db.execute(sql: "DROP TRIGGER \"\(r["name"] as String)\"") }
    }

    /// The geometry checks of the `ggi_`/`ggu_` triggers over every row: a geometry is allowed when a
    /// `geometry_columns` entry of the column takes it (`GeometryConstraints`, which takes NULL). A
    /// row that fails gives SpatiaLite's own message; the error rolls the load back, as the
    /// triggers' `RAISE(ROLLBACK)` does.
    private func checkGeometries(_ db: Database) throws {
        let failing = try Int64.fetchOne(db, sql: """
            SELECT t.rowid FROM "\(table)" t
            WHERE NOT EXISTS (SELECT 1 FROM geometry_columns
                              WHERE Lower(f_table_name) = Lower(?) AND Lower(f_geometry_column) = Lower(?)
                                AND GeometryConstraints(t."\(column)", geometry_type, srid) = 1)
            LIMIT 1
            """, arguments: [table, column])
        guard let failing else { return }
        throw DatabaseError(resultCode: .SQLITE_CONSTRAINT_TRIGGER,
                            message: "\(table).\(column) violates Geometry constraint [geom-type or SRID not allowed] (rowid \(failing))")
    }

    /// Puts the triggers back, fills the R*Tree from the table at once (``RTreeBulkLoad``) and stamps
    /// the column once.
    private func end(_ db: Database) throws {
        guard !triggers.isEmpty else { return }
        if checksRest { try checkGeometries(db) }
        for sql in triggers { try db.execute(sql: sql) }
        try RTreeBulkLoad(index: "idx_\(table)_\(column)").fill(from: table, column: column, db: db)
        try db.execute(sql: """
            UPDATE geometry_columns_time SET last_insert = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
                   last_update = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), last_delete = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE Lower(f_table_name) = Lower(?) AND Lower(f_geometry_column) = Lower(?)
            """, arguments: [table, column])
    }
}
