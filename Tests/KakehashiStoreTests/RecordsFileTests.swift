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

    static func checkMoved(_ path: String) throws {
        let db = try SpatialDatabase(path: path)
        #expect(db.recordsPath == (path as NSString).deletingPathExtension + ".records.sqlite")
        #expect(try db.declarations(provider: 1).count == 1)
        #expect(try db.declarationsVersion() == 7)
        #expect(try db.auditLog().map(\.actor) == ["a"])
        #expect(try db.reader.read { try String.fetchOne($0, sql: "SELECT reported_role FROM on_call_reports") } == "provider")
        try db.close()
        let main = try Self.tables(in: path), moved = try Self.tables(in: RecordsFile.path(for: path))
        #expect(main.isDisjoint(with: RecordsFile.tables), "\(main.intersection(RecordsFile.tables))")
        #expect(moved.isSuperset(of: RecordsFile.tables))
    }

    @Test func anOldDatabaseMovesItsRecordsOnOpen() throws {
        let path = try Fixtures.scratch().appendingPathComponent("old.sqlite").path
        try Self.oldLayout(at: path)
        #expect(try Self.tables(in: path).contains("declarations"))
        try Self.checkMoved(path)
    }

    /// Stopped after the copy and before the data file dropped its tables: the next open finds the
    /// same rows in both and finishes.
    @Test func aMoveStoppedAfterTheCopyFinishes() throws {
        let path = try Fixtures.scratch().appendingPathComponent("old.sqlite").path
        try Self.oldLayout(at: path)
        try RecordsFile.prepare(path: RecordsFile.path(for: path), busyTimeout: 1_000)
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS records", arguments: [RecordsFile.path(for: path)])
            try RecordsFile.adoptRecordsOfTheMainFile(db)
        }
        try queue.close()
        #expect(try Self.tables(in: path).contains("declarations"))
        try Self.checkMoved(path)
    }

    /// An old data file (a backup from before the move) put beside a records file that holds other
    /// records: refused, nothing overwritten.
    @Test func anOldDataFileBesideOtherRecordsIsRefused() throws {
        let path = try Fixtures.scratch().appendingPathComponent("old.sqlite").path
        try Self.oldLayout(at: path)
        try RecordsFile.prepare(path: RecordsFile.path(for: path), busyTimeout: 1_000)
        let records = try DatabaseQueue(path: RecordsFile.path(for: path))
        try records.write { try $0.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('t', 'newer', 'x', 'y', '{}')") }
        try records.close()
        #expect(throws: StoreError.self) { try SpatialDatabase(path: path) }
        #expect(try Self.tables(in: path).contains("declarations"))
        let kept = try DatabaseQueue(path: RecordsFile.path(for: path))
        #expect(try kept.read { try String.fetchAll($0, sql: "SELECT actor FROM audit_log") } == ["newer"])
        try kept.close()
    }

    /// A data file built anew (deleted and imported again) beside the records keeps them, and its
    /// new providers never take an id the records name.
    @Test func aNewDataFileBesideTheRecordsKeepsThem() throws {
        let dir = try Fixtures.scratch()
        let path = dir.appendingPathComponent("db.sqlite").path
        let lines = try BadInputTests.lines(BadInputTests.kaigo, count: 11)
        let file = try Fixtures.write(lines.joined(separator: "\n"), name: "jigyosho_130.csv", in: dir)
        var db = try SpatialDatabase(path: path)
        _ = try DataImport.run(.kaigo, files: [file], into: db)
        let last = try #require(try db.reader.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM providers") })
        _ = try db.createDeskInvitation(role: .provider, provider: last, createdBy: "steward", validFor: 3_600)
        try db.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        db = try SpatialDatabase(path: path)
        #expect(try db.deskInvitations().map(\.providerID) == [last])
        _ = try DataImport.run(.kaigo, files: [file], into: db)
        #expect(try db.reader.read { try Int64.fetchOne($0, sql: "SELECT min(id) FROM providers") }.map { $0 > last } == true)
        try db.close()
    }

    /// A data file whose records moved out does not open without its records file (a new empty one
    /// would start without accounts or audit log); an empty file put there on purpose starts anew.
    @Test func aLostRecordsFileIsRefused() throws {
        let path = try Fixtures.scratch().appendingPathComponent("db.sqlite").path
        try SpatialDatabase(path: path).close()
        let records = RecordsFile.path(for: path)
        try FileManager.default.removeItem(atPath: records)
        #expect(throws: StoreError.self) { try SpatialDatabase(path: path) }
        #expect(throws: StoreError.self) { try SpatialDatabase(path: path, access: .server) }
        #expect(!FileManager.default.fileExists(atPath: records))
        #expect(FileManager.default.createFile(atPath: records, contents: nil))
        try SpatialDatabase(path: path).close()
    }

    /// A record write holds the records' lock from its start: another writer's commit between its
    /// first read and its first write cannot make it fail (SQLite fails a read turned write at once,
    /// without waiting, when the file changed since the read began).
    /// An import's transaction keeps SQLite's temporary files (its statement journals) in memory;
    /// the connection goes back to the default after it, so other work may spill to disk.
    @Test func anImportKeepsTemporaryFilesInMemoryOnlyWhileItWrites() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let during = try db.writeReleases { try Int.fetchOne($0, sql: "PRAGMA temp_store") }
        let after = try db.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA temp_store") }
        #expect(during == 2 && after == 0)
        try db.close()
    }

    @Test func aRecordWriteHoldsItsLockFromTheStart() throws {
        let path = try Fixtures.scratch().appendingPathComponent("db.sqlite").path
        let db = try SpatialDatabase(path: path)
        var config = Configuration()
        config.busyMode = .immediateError
        let other = try DatabaseQueue(path: RecordsFile.path(for: path), configuration: config)
        var otherWrote = true
        try db.writeRecords { conn in
            _ = try Int.fetchOne(conn, sql: "SELECT count(*) FROM audit_log")  // the read comes first
            do {
                try other.write { try $0.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('t', 'other', 'x', 'y', '{}')") }
            } catch {
                otherWrote = false  // it must wait for this write
            }
            try conn.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES ('t', 'mine', 'x', 'y', '{}')")
        }
        #expect(!otherWrote)
        #expect(try db.auditLog().map(\.actor) == ["mine"])
        try other.close()
        try db.close()
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
