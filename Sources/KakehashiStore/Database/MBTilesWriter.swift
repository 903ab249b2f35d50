import Foundation
import GRDB

/// Writes an MBTiles 1.3 archive (https://github.com/mapbox/mbtiles-spec/blob/master/1.3/spec.md):
/// the `metadata` and `tiles` tables in a plain SQLite file, rows in TMS order (y flipped).
public final class MBTilesWriter {
    private let queue: DatabaseQueue
    public let path: String

    /// Creates the archive, replacing any file at the path.
    public init(path: String) throws {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        self.path = path
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE metadata (name TEXT, value TEXT)")
            try db.execute(sql: "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)")
            try db.execute(sql: "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)")
        }
    }

    public func metadata(_ values: [(String, String)]) throws {
        try queue.write { db in
            for (k, v) in values { try db.execute(sql: "INSERT INTO metadata (name, value) VALUES (?, ?)", arguments: [k, v]) }
        }
    }

    /// Adds tiles in one transaction; `y` is the XYZ row, stored flipped as TMS requires.
    public func add(_ tiles: [(z: Int, x: Int, y: Int, data: Data)]) throws {
        try queue.write { db in
            let statement = try db.makeStatement(sql: "INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) VALUES (?, ?, ?, ?)")
            for t in tiles { try statement.execute(arguments: [t.z, t.x, (1 << t.z) - 1 - t.y, t.data]) }
        }
    }

    public func close() throws { try queue.close() }
}
