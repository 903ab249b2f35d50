import CSpatiaLite
import Foundation
import GRDB

/// The Kakehashi SpatiaLite database, created and upgraded by ``Schema``, in WAL mode.
///
/// Every GRDB connection has SpatiaLite initialised. Imports and tools use a single
/// `DatabaseQueue`: a `DatabasePool` rewrites the schema on open (GRDB creates and drops a table to
/// make the WAL file exist), which would break the promise that a refused import leaves the file
/// byte-for-byte as it was. The server opens a `DatabasePool` for concurrent readers.
///
/// See <https://www.gaia-gis.it/gaia-sins/spatialite-sql-5.0.1.html> for the SQL functions used.
public final class SpatialDatabase: Sendable {
    public enum Access: Sendable {
        /// One connection that reads and writes (imports, the CLI).
        case readWrite
        /// One read-only connection.
        case readOnly
        /// A read-only pool of concurrent readers.
        case concurrentReads
        /// A pool of concurrent readers and one writer (the server: lookups and on-call reports).
        case server
    }

    /// The connection(s): a `DatabaseQueue`, or a `DatabasePool` for ``Access/concurrentReads``.
    public let writer: any DatabaseWriter
    public let path: String
    /// The file of the records people make (see ``RecordsFile``), attached as `records`.
    public let recordsPath: String
    private let caches: SpatiaLiteCaches

    public var reader: any DatabaseReader { writer }

    /// Opens (creating when absent, for ``Access/readWrite``) the database at `path` and migrates it
    /// to the current schema.
    public init(path: String, access: Access = .readWrite) throws {
        SpatiaLiteLibrary.initialiseOnce()
        var config = Configuration()
        config.readonly = access == .readOnly || access == .concurrentReads
        config.label = "kakehashi"
        let traceSQL = ProcessInfo.processInfo.environment["KAKEHASHI_TRACE_SQL"] == "1"
        let caches = SpatiaLiteCaches()
        // The server's writes (on-call reports) wait a second at most for an import to let go,
        // then answer 503 rather than hold a request for ten; imports and tools wait longer.
        let busyTimeout: Int32 = access == .server ? 1_000 : 10_000
        let recordsPath = RecordsFile.path(for: path)
        config.prepareDatabase { db in
            if traceSQL { db.trace { FileHandle.standardError.write(Data("SQL: \($0)\n".utf8)) } }
            try SpatiaLiteLibrary.attach(to: db, caches: caches, busyTimeout: busyTimeout)
            try db.execute(sql: "ATTACH DATABASE ? AS \(RecordsFile.schemaName)", arguments: [recordsPath])
        }
        self.caches = caches
        if access != .readWrite, !FileManager.default.fileExists(atPath: path) {
            // Only imports create a database; everything else needs one that exists.
            throw StoreError.databaseMissing(path)
        }
        self.path = path
        self.recordsPath = recordsPath
        let opened: any DatabaseWriter
        do {
            if access == .readWrite || access == .server {
                // A data file whose records moved out needs its records file: made anew, it would
                // silently start without accounts, declarations or the audit log.
                if !FileManager.default.fileExists(atPath: recordsPath), try RecordsFile.mainFileHasMovedRecords(path) {
                    throw StoreError.recordsMissing(recordsPath, main: path)
                }
                try RecordsFile.prepare(path: recordsPath, busyTimeout: busyTimeout)
            } else {
                try RecordsFile.requireCurrent(path: recordsPath, main: path)
            }
            switch access {
            case .readWrite:
                let queue = try DatabaseQueue(path: path, configuration: config)
                try queue.writeWithoutTransaction { db in
                    // Imports and tools: 128 MB of page cache (the default 2 MB rereads index pages from disk).
                    try db.execute(sql: "PRAGMA cache_size = -131072")
                    if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                    }
                }
                try Schema.migrate(queue)
                opened = queue
            case .readOnly:
                let queue = try DatabaseQueue(path: path, configuration: config)
                try Schema.requireCurrent(queue, path: path)
                opened = queue
            case .concurrentReads:
                let pool = try DatabasePool(path: path, configuration: config)
                try Schema.requireCurrent(pool, path: path)
                opened = pool
            case .server:
                let pool = try DatabasePool(path: path, configuration: config)
                try Schema.migrate(pool)
                opened = pool
            }
        } catch {
            // A locked, full, read-only or foreign file is said as such, with its path.
            throw StoreFault(error, path: path) ?? error
        }
        writer = opened
    }

    /// Closes every connection and folds the WAL back into the main file.
    public func close() throws {
        try writer.close()
        caches.freeAll()
    }

    /// Moves the log into the file, truncates the log to nothing, then closes: for a file another
    /// has taken the place of, whose log must not be read as the newcomer's.
    public func emptyLogAndClose() throws {
        // The records file's log too (GRDB's default is the main file's alone), as far as other
        // processes reading it let it be emptied: only the data file is replaced in practice.
        try writer.writeWithoutTransaction { db in
            _ = try db.checkpoint(.truncate)
            _ = try? db.checkpoint(.truncate, on: RecordsFile.schemaName)
        }
        try close()
    }

    deinit {
        try? writer.close()
        caches.freeAll()
    }
}

/// Errors of the store that are not about an input file.
public enum StoreError: Error, CustomStringConvertible, Sendable {
    case databaseMissing(String)
    case spatialMetadata(Int)
    case outdatedSchema(String)
    /// Migration v12 found the records file short of the main file's rows of a table.
    case recordsNotCopied(String, Int, Int)
    case recordsMissing(String, main: String)
    /// An old database (records in its main file) beside a records file that holds other records.
    case recordsFileInUse(String)

    public var description: String {
        switch self {
        case .databaseMissing(let path): "データベースがありません: \(path)"
        case .spatialMetadata(let layout): "SpatiaLite のメタデータが現行形式ではありません（CheckSpatialMetaData = \(layout)）"
        case .outdatedSchema(let path): "データベースの形式が古いままです: \(path)。kakehashi migrate --db \(path) で更新してください"
        case .recordsNotCopied(let table, let here, let there):
            "記録（\(table)）の記録ファイルへの移し替えが終わっていません（元 \(here) 行、記録ファイル \(there) 行）。もう一度開くと移し替えをやり直します"
        case .recordsFileInUse(let path):
            "この古い形式のデータベースの記録を移そうとしましたが、記録ファイル \(path) にはすでに別の記録があります。上書きせずに止めました。古いバックアップを戻したのなら、記録ファイルも同じ時点のものにするか、別の場所に移してから開いてください"
        case .recordsMissing(let path, let main):
            "記録ファイル（当番・窓口・進捗・監査の記録）がありません: \(path)（データベース \(main) の隣に必要です）。バックアップから戻してください。記録なしで始めるなら、空のファイルを置いてから開いてください（touch \(path)）"
        }
    }
}

/// Process-wide and per-connection SpatiaLite set-up.
enum SpatiaLiteLibrary {
    private static let initialised: Void = { spatialite_initialize() }()

    static func initialiseOnce() { _ = initialised }

    /// Initialises SpatiaLite on a GRDB connection. Its cache is freed by ``SpatialDatabase/close()``
    /// once every connection is closed: freeing it while SQLite is still closing a connection
    /// (from a function's destroy callback) can leave SpatiaLite's modules pointing at freed memory.
    static func attach(to db: Database, caches: SpatiaLiteCaches, busyTimeout: Int32) throws {
        guard let handle = db.sqliteConnection else { return }
        let cache = spatialite_alloc_connection()
        spatialite_init_ex(handle, cache, 0)
        // GEOS/RTTOPO would print repair notices on stderr; imports report repairs themselves.
        spatialite_set_silent_mode(cache)
        caches.add(cache)
        // spatialite_init_ex silently sets a 5 s busy timeout; state ours explicitly.
        sqlite3_busy_timeout(handle, busyTimeout)
    }
}

/// The SpatiaLite caches of one database's connections, freed together after they are closed.
final class SpatiaLiteCaches: @unchecked Sendable {
    private let lock = NSLock()
    private var pointers: [UnsafeMutableRawPointer] = []

    func add(_ cache: UnsafeMutableRawPointer?) {
        guard let cache else { return }
        lock.lock(); defer { lock.unlock() }
        pointers.append(cache)
    }

    func freeAll() {
        lock.lock(); defer { lock.unlock() }
        for p in pointers { spatialite_cleanup_ex(p) }
        pointers.removeAll()
    }
}
