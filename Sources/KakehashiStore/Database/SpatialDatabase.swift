import CSpatiaLite
import Foundation
import GRDB

/// The Kakehashi SpatiaLite database: a GRDB `DatabasePool` (WAL, concurrent readers) whose every
/// connection has SpatiaLite initialised, created and upgraded by ``Schema``.
///
/// See <https://www.gaia-gis.it/gaia-sins/spatialite-sql-5.0.1.html> for the SQL functions used.
public final class SpatialDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String

    /// Opens (creating when absent) the database at `path` and migrates it to the current schema.
    public init(path: String, readOnly: Bool = false) throws {
        SpatiaLiteLibrary.initialiseOnce()
        var config = Configuration()
        config.readonly = readOnly
        config.label = "kakehashi"
        config.prepareDatabase { db in
            try SpatiaLiteLibrary.attach(to: db)
        }
        if readOnly, !FileManager.default.fileExists(atPath: path) {
            throw StoreError.databaseMissing(path)
        }
        self.path = path
        pool = try DatabasePool(path: path, configuration: config)
        if !readOnly {
            try Schema.migrate(pool)
        }
    }

    /// Closes every connection and folds the WAL back into the main file.
    public func close() throws {
        try pool.close()
    }
}

/// Errors of the store that are not about an input file.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case databaseMissing(String)
    case spatialMetadata(Int)

    public var description: String {
        switch self {
        case .databaseMissing(let path): "データベースがありません: \(path)"
        case .spatialMetadata(let layout): "SpatiaLite のメタデータが現行形式ではありません（CheckSpatialMetaData = \(layout)）"
        }
    }
}

/// Process-wide and per-connection SpatiaLite set-up.
enum SpatiaLiteLibrary {
    private static let initialised: Void = { spatialite_initialize() }()

    static func initialiseOnce() { _ = initialised }

    /// Initialises SpatiaLite on a GRDB connection. The SpatiaLite cache is freed by the destroy
    /// callback of a marker SQL function, which SQLite runs when the connection closes.
    static func attach(to db: Database) throws {
        guard let handle = db.sqliteConnection else { return }
        let cache = spatialite_alloc_connection()
        spatialite_init_ex(handle, cache, 0)
        let rc = sqlite3_create_function_v2(
            handle, "kakehashi_spatialite_cache", 0, SQLITE_UTF8, cache,
            { context, _, _ in sqlite3_result_int(context, 1) }, nil, nil,
            { cache in spatialite_cleanup_ex(cache) }
        )
        if rc != SQLITE_OK {
            spatialite_cleanup_ex(cache)
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: "SpatiaLite の初期化に失敗しました")
        }
        // spatialite_init_ex silently sets a 5 s busy timeout; state ours explicitly.
        sqlite3_busy_timeout(handle, 10_000)
    }
}
