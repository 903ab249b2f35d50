import Foundation
import GRDB

/// What people record — on-call reports, declarations, desk accounts, invitations and sessions,
/// (ア)–(ク) progress and the audit log — lives in a file of its own beside the database
/// (`region.sqlite` → `region.records.sqlite`), attached to every connection as `records`.
///
/// SQLite lets one writer at a time into a file. An import of a large release writes for tens of
/// seconds, and with everything in one file an on-call report waited for it and answered 503. In a
/// file of their own the records have their own lock: imports write the main file, the server and
/// the desk write the records, and neither waits for the other. Two consequences:
/// - Record writes run in DEFERRED transactions (``SpatialDatabase/writeRecords(_:)``), imports in
///   DEFERRED ones that take the main file's lock first (``SpatialDatabase/writeReleases(_:)``):
///   an IMMEDIATE transaction locks every attached file.
/// - No foreign key crosses the files: a record names its provider by id, and provider ids are never
///   given twice (``ProviderIDs``).
enum RecordsFile {
    static let schemaName = "records"

    /// `region.sqlite` → `region.records.sqlite`; a path without an extension gets `.records`.
    static func path(for main: String) -> String {
        let url = URL(fileURLWithPath: main)
        let ext = url.pathExtension
        guard !ext.isEmpty else { return main + ".records" }
        return url.deletingPathExtension().path + ".records." + ext
    }

    /// The tables, in the order a copy fills them (parents before children).
    static let tables = [
        "audit_log", "on_call_reports", "desk_accounts", "desk_account_providers", "desk_invitations", "desk_sessions",
        "declarations", "declarations_revision", "municipal_progress",
    ]

    /// The records file's own migrations, kept in its own `grdb_migrations`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("r1: records beside the data (on-call, desk, progress, audit)") { db in
            for statement in r1 { try db.execute(sql: statement) }
        }
        migrator.registerMigration("r2: stewards of one municipality") { db in
            // A steward account (and its invitation) may be limited to one municipality's (ア)–(ク) progress.
            try db.execute(sql: "ALTER TABLE desk_invitations ADD COLUMN municipality TEXT")
            try db.execute(sql: "ALTER TABLE desk_accounts ADD COLUMN municipality TEXT")
        }
        return migrator
    }

    /// Creates the file when absent, in WAL mode (readers never block a record write), and brings
    /// its schema up to date.
    static func prepare(path: String, busyTimeout: Int32) throws {
        var config = Configuration()
        config.label = "kakehashi-records"
        config.busyMode = .timeout(TimeInterval(busyTimeout) / 1000)
        let queue = try DatabaseQueue(path: path, configuration: config)
        try queue.writeWithoutTransaction { db in
            if try String.fetchOne(db, sql: "PRAGMA journal_mode") != "wal" {
                _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
            }
        }
        try migrator.migrate(queue)
        try queue.close()
    }

    /// Whether the data file at `main` exists and has moved its records out (migration v12): read
    /// without attaching anything.
    static func mainFileHasMovedRecords(_ main: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: main) else { return false }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: main, configuration: config)
        defer { try? queue.close() }
        return try queue.read { db in
            try db.tableExists("grdb_migrations")
                && Bool.fetchOne(db, sql: "SELECT 1 FROM grdb_migrations WHERE identifier = ?", arguments: [Schema.recordsMoved]) == true
        }
    }

    /// Read-only opens never create or migrate: the records file must exist and be current.
    static func requireCurrent(path: String, main: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.recordsMissing(path, main: main) }
        var config = Configuration()
        config.readonly = true
        // Another connection closing the file briefly locks it to fold its log back: wait, do not fail.
        config.busyMode = .timeout(10)
        let queue = try DatabaseQueue(path: path, configuration: config)
        defer { try? queue.close() }
        guard try queue.read({ try migrator.hasCompletedMigrations($0) }) else { throw StoreError.outdatedSchema(main) }
    }

    /// A database made before the records had their own file kept them in the main file: copies
    /// them into the records file, in one transaction of that file alone. The main file's tables
    /// are dropped afterwards, by migration v12, only once the copy is complete — so no stop at
    /// any moment loses a record. A records file that already holds the same rows (a stop between
    /// the copy and v12) is left as it is; one that holds other rows (an old backup of the data
    /// file put beside newer records) is refused rather than overwritten.
    static func adoptRecordsOfTheMainFile(_ db: Database) throws {
        let held = try tables.filter { try db.tableExists($0, in: "main") }
        guard !held.isEmpty else { return }
        var differ = false, recordsHeld = false
        for table in held {
            let here = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.\(table)") ?? 0
            let there = try Int.fetchOne(db, sql: "SELECT count(*) FROM records.\(table)") ?? 0
            differ = differ || here != there
            recordsHeld = recordsHeld || there > 0
        }
        guard differ else { return }
        guard !recordsHeld else {
            throw StoreError.recordsFileInUse(try String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'records'") ?? "records")
        }
        try db.inTransaction(.deferred) {
            for table in held {
                let columns = try db.columns(in: table, in: "main").map { "\"\($0.name)\"" }.joined(separator: ", ")
                try db.execute(sql: "INSERT INTO records.\(table) (\(columns)) SELECT \(columns) FROM main.\(table)")
            }
            return .commit
        }
    }

    /// Migration v12 of the main file: drops its copies of the records once the records file holds
    /// every row (else the open fails and the next one copies again). Empty tables (a new database's)
    /// hold nothing to lose.
    static func dropRecordsOfTheMainFile(_ db: Database) throws {
        for table in tables where try db.tableExists(table, in: "main") {
            let here = try Int.fetchOne(db, sql: "SELECT count(*) FROM main.\(table)") ?? 0
            let there = try Int.fetchOne(db, sql: "SELECT count(*) FROM records.\(table)") ?? -1
            guard here == 0 || here == there else { throw StoreError.recordsNotCopied(table, here, there) }
        }
        for table in tables.reversed() where try db.tableExists(table, in: "main") {
            try db.execute(sql: "DROP TABLE main.\(table)")
        }
    }

    /// The tables in their present shape. On-call reports have no foreign key to `providers` (it
    /// cannot cross files): an import that drops a provider leaves its reports, read by nothing.
    static let r1: [String] = [
        Schema.auditLog,
        """
        CREATE TABLE on_call_reports (
            id INTEGER PRIMARY KEY,
            provider_id INTEGER NOT NULL,
            service TEXT,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL CHECK (ends_at > starts_at),
            contact TEXT,
            note TEXT,
            reported_by TEXT NOT NULL,
            reported_at TEXT NOT NULL,
            replaced_at TEXT,
            reported_role TEXT
        )
        """,
        "CREATE INDEX on_call_reports_provider ON on_call_reports(provider_id, replaced_at)",
    ] + Schema.v5 + [
        "CREATE TABLE declarations_revision (id INTEGER PRIMARY KEY CHECK (id = 1), revision INTEGER NOT NULL)",
    ] + Schema.v10
}

extension SpatialDatabase {
    /// The records file beside the database at `path` (`region.sqlite` → `region.records.sqlite`).
    public static func recordsPath(for path: String) -> String { RecordsFile.path(for: path) }

    /// Copies a closed database — the data file and, when there is one, its records file — to
    /// `destination` (the records file named after it): a database is the two files together.
    public static func copyFiles(from source: String, to destination: String) throws {
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        let records = recordsPath(for: source)
        if FileManager.default.fileExists(atPath: records) {
            try FileManager.default.copyItem(atPath: records, toPath: recordsPath(for: destination))
        }
    }

    /// A write of records (on-call reports, the desk, progress, the audit log), in a DEFERRED
    /// transaction that takes the records file's lock only, so an import holding the main file's
    /// lock does not hold it up.
    public func writeRecords<T>(_ updates: (Database) throws -> T) throws -> T {
        try write(locking: "records.audit_log", updates)
    }

    /// A write of releases (imports), in a transaction that takes the main file's lock at once and
    /// the records file's never: records stay writable while it runs.
    ///
    /// SQLite's temporary files are kept in memory meanwhile: each upsert of a load keeps a
    /// statement journal, and written through a temporary file these came to 9.6 GB for 450,000
    /// providers. Only for the import: elsewhere (migrations, the server) sorts may still spill to disk.
    public func writeReleases<T>(_ updates: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            defer { try? db.execute(sql: "PRAGMA temp_store = DEFAULT") }
            return try write(locking: "main.datasets", in: db, updates)
        }
    }

    /// A DEFERRED transaction that takes one file's lock first, with an empty write to `table`:
    /// SQLite waits (busy timeout) for a lock taken at a transaction's start, but fails at once
    /// when a read must become a write; and IMMEDIATE would lock every attached file.
    private func write<T>(locking table: String, _ updates: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in try write(locking: table, in: db, updates) }
    }

    private func write<T>(locking table: String, in db: Database, _ updates: (Database) throws -> T) throws -> T {
        var result: T?
        try db.inTransaction(.deferred) {
            try db.execute(sql: "DELETE FROM \(table) WHERE 0")
            result = try updates(db)
            return .commit
        }
        return result!
    }
}
