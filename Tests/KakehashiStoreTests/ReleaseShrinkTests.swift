import Foundation
import GRDB
import KakehashiModel
import Testing
@testable import KakehashiStore

/// A broken or much smaller release never replaces a good one unless told to (issue #17).
@Suite struct ReleaseShrinkTests {
    static func count(_ db: SpatialDatabase, _ sql: String) throws -> Int {
        try db.reader.read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    static func refused(_ kind: SourceKind, _ files: [String], into db: SpatialDatabase,
                        options: ImportOptions = ImportOptions()) throws -> [ImportIssue] {
        do {
            let reports = try DataImport.run(kind, files: files, into: db, options: options)
            Issue.record("import of \(files) should have been refused: \(reports.map(\.summary))")
            return []
        } catch let failure as ImportFailure {
            return failure.issues
        }
    }

    /// 埼玉県's boundaries with every coordinate rounded to whole degrees (2 of 72 municipalities
    /// survive repair), then with every vertex on one point (none survives). The old code
    /// superseded the good release either way and left 2 or 0 municipalities.
    @Test func boundariesThatFailRepairKeepTheGoodRelease() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.boundaries, files: [Fixtures.path("boundaries/N03-21_11_210101_s0010.geojson")], into: db)
        let before = try Self.count(db, "SELECT count(*) FROM municipalities")
        #expect(before == 72)
        let text = try Fixtures.text("boundaries/N03-21_11_210101_s0010.geojson")
        let rounded = try Fixtures.write(text.replacingOccurrences(of: #"(\d+)\.\d+"#, with: "$1", options: .regularExpression),
                                         name: "N03-21_11_rounded.geojson", in: dir)
        let collapsed = try Fixtures.write(text.replacingOccurrences(of: #"\d+\.\d+"#, with: "139", options: .regularExpression),
                                           name: "N03-21_11_collapsed.geojson", in: dir)
        let cases: [(file: String, allowShrink: Bool, says: String)] = [
            (rounded, false, "--allow-shrink"), (collapsed, false, "0 件"), (collapsed, true, "0 件"),
        ]
        for c in cases {
            var options = ImportOptions(skipInvalid: true)
            options.shrink.allowShrink = c.allowShrink
            let issues = try Self.refused(.boundaries, [c.file], into: db, options: options)
            #expect(issues.count == 1 && issues[0].message.contains(c.says), "\(issues)")
            #expect(try Self.count(db, "SELECT count(*) FROM municipalities") == before)
            #expect(try Self.count(db, "SELECT count(*) FROM datasets") == 1)
        }
        try db.close()
    }

    /// Files that parse but hold nothing are refused, first load or not.
    @Test func emptyReleasesAreRefused() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let header = try BadInputTests.lines(BadInputTests.kaigo, count: 1)[0]
        let headerOnly = try Fixtures.write(header + "\n", name: "jigyosho_130.csv", in: dir)
        let emptyCollection = try Fixtures.write(#"{"type":"FeatureCollection","features":[]}"#, name: "N03-empty.geojson", in: dir)
        #expect(try Self.refused(.kaigo, [headerOnly], into: db).first?.message.contains("0 件") == true)
        #expect(try Self.refused(.boundaries, [emptyCollection], into: db).first?.message.contains("0 件") == true)
        _ = try DataImport.run(.kaigo, files: [Fixtures.path(BadInputTests.kaigo)], into: db, options: ImportOptions(skipInvalid: true))
        let loaded = try Self.count(db, "SELECT count(*) FROM providers")
        var options = ImportOptions()
        options.shrink.allowShrink = true
        let issues = try Self.refused(.kaigo, [headerOnly], into: db, options: options)
        #expect(issues.first?.file == "jigyosho_130.csv")
        #expect(try Self.count(db, "SELECT count(*) FROM providers") == loaded)
        try db.close()
    }

    /// A release with under half its predecessor's rows needs `allowShrink`; the report then says
    /// what it kept, added and dropped.
    @Test func aMuchSmallerReleaseNeedsAllowShrink() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let lines = try BadInputTests.lines(BadInputTests.kaigo, count: 11)  // header and 10 offices
        let v1 = try Fixtures.write(lines.joined(separator: "\n"), name: "jigyosho_130_v1.csv", in: dir)
        let first = try DataImport.run(.kaigo, files: [v1], into: db)[0]
        #expect(first.change == ImportReport.Change(kept: 0, added: 10, dropped: 0))
        let v2 = try Fixtures.write(lines.prefix(5).joined(separator: "\n"), name: "jigyosho_130_v2.csv", in: dir)
        let issues = try Self.refused(.kaigo, [v2], into: db)
        #expect(issues.first?.message.contains("--allow-shrink") == true, "\(issues)")
        #expect(try Self.count(db, "SELECT count(*) FROM providers") == 10)

        var lower = ImportOptions()
        lower.shrink.minimumShare = 0.4
        lower.dryRun = true
        #expect(try DataImport.run(.kaigo, files: [v2], into: db, options: lower)[0].status == .dryRun)

        var options = ImportOptions()
        options.shrink.allowShrink = true
        let report = try DataImport.run(.kaigo, files: [v2], into: db, options: options)[0]
        #expect(report.change == ImportReport.Change(kept: 4, added: 0, dropped: 6))
        #expect(report.summary.contains("継続 4 件、追加 0 件、削除 6 件"))
        #expect(try Self.count(db, "SELECT count(*) FROM providers") == 4)
        try db.close()
    }

    /// Classic Mac line ends (CR alone) are line ends: the old reader saw one line and loaded 0 rows.
    @Test func crOnlyLineEndsReadAsLines() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let lines = try BadInputTests.lines(BadInputTests.kaigo, count: 201)
        let cr = try Fixtures.write(lines.joined(separator: "\r") + "\r", name: "jigyosho_130.csv", in: dir)
        let report = try DataImport.run(.kaigo, files: [cr], into: db, options: ImportOptions(skipInvalid: true))[0]
        #expect(report.rowsRead == 200)
        #expect(report.rowsLoaded + report.rowsRejected == 200)
        #expect(report.rowsLoaded > 150)
        try db.close()
    }
}
