import Foundation
import GRDB
import Testing
@testable import KakehashiStore

/// The records people make live in their own file beside the data (issue #17): an import holds the
/// data file's lock, never theirs; a database of the old layout moves its records over on open.
@Suite struct RecordsFileTests {
    /// A database as versions before v12 made it: the records in the main file.
    static func oldLayout(at path: String) throws {
        SpatiaLiteLibrary.initialiseOnce()
        let caches = SpatiaLiteCaches()
        var config = Configuration()
        config.foreignKeysEnabled = false  // the report names provider 1 without loading one
        config.prepareDatabase { db in try SpatiaLiteLibrary.attach(to: db, caches: caches, busyTimeout: 1_000) }
        let queue = try DatabaseQueue(path: path, configuration: config)
        try Schema.migrator.migrate(queue, upTo: "v11: provider ids are never given twice")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('2026-01-01T00:00:00+09:00', 'a', 'x', 'provider:1', '{}')")
            try db.execute(sql: """
                INSERT INTO on_call_reports (provider_id, starts_at, ends_at, reported_by, reported_at, reported_role)
                VALUES (1, '2026-01-01T18:00:00+09:00', '2026-01-02T09:00:00+09:00', 'a', '2026-01-01T00:00:00+09:00', 'provider')
                """)
            try db.execute(sql: """
                INSERT INTO declarations (provider_id, fact, service, value, updated_at, updated_by, confirmed_at, confirmed_by)
                VALUES (1, 'contact', '', '{"phone":"04-0000-0000"}', '2026-01-01T00:00:00+09:00', 'staff', '2026-01-01T00:00:00+09:00', 'staff')
                """)
            try db.execute(sql: "INSERT INTO declarations_revision (id, revision) VALUES (1, 7)")
        }
        try queue.close()
        caches.freeAll()
    }

    static func tables(in path: String) throws -> Set<String> {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return Set(try queue.read { try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") })
    }

    @Test func anOldDatabaseMovesItsRecordsOnOpen() throws {
        let dir = try Fixtures.scratch()
        let path = dir.appendingPathComponent("old.sqlite").path
        try Self.oldLayout(at: path)
        #expect(try Self.tables(in: path).contains("declarations"))
        // A copy stopped half-way left a stray row: the next open copies again, whole.
        try RecordsFile.prepare(path: RecordsFile.path(for: path), busyTimeout: 1_000)
        let records = try DatabaseQueue(path: RecordsFile.path(for: path))
        try records.write { try $0.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('t', 'stray', 'x', 'y', '{}')") }
        try records.close()

        let db = try SpatialDatabase(path: path)
        #expect(db.recordsPath == dir.appendingPathComponent("old.records.sqlite").path)
        #expect(try db.declarations(provider: 1).count == 1)
        #expect(try db.declarationsVersion() == 7)
        #expect(try db.auditLog().map(\.actor) == ["a"])
        #expect(try db.reader.read { try String.fetchOne($0, sql: "SELECT reported_role FROM on_call_reports") } == "provider")
        try db.close()
        let main = try Self.tables(in: path), moved = try Self.tables(in: RecordsFile.path(for: path))
        #expect(main.isDisjoint(with: RecordsFile.tables), "\(main.intersection(RecordsFile.tables))")
        #expect(moved.isSuperset(of: RecordsFile.tables))
    }

    /// The import's transaction holds the data file only: records are written meanwhile, at once.
    @Test func recordsAreWrittenWhileAnImportHoldsTheDataFile() throws {
        let dir = try Fixtures.scratch()
        let path = dir.appendingPathComponent("db.sqlite").path
        let importer = try SpatialDatabase(path: path)
        let desk = try SpatialDatabase(path: path, access: .server)
        try importer.writeReleases { _ in
            // Without the records' own file this waited for the import and failed as busy.
            try desk.writeRecords { db in
                try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('t', 'desk', 'x', 'y', '{}')")
            }
            // The data file itself stays locked for everyone else.
            #expect(throws: DatabaseError.self) { try desk.writer.write { try $0.execute(sql: "DELETE FROM main.datasets WHERE 0") } }
        }
        #expect(try desk.auditLog().contains { $0.actor == "desk" })
        try desk.close()
        try importer.close()
    }
}
