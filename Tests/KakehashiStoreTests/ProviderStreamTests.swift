import Foundation
import GRDB
import Testing
@testable import KakehashiStore

/// A native CSV file's rows are converted on a thread of their own while the transaction writes
/// the converted ones (``ProviderStream``). A file that fails must still change nothing, name every
/// faulty row wherever it sits, and a writer that fails must not leave the reader waiting.
@Suite struct ProviderStreamTests {
    /// `count` nurse stations; `fault` rows get the given field values instead of their own.
    static func file(_ count: Int, faults: [Int: (lat: String, id: String?)] = [:], hours: [Int: String] = [:]) -> String {
        var out = "id,name,kind,services,lat,lon,municipality_code,opening_hours,hours_service\n"
        for i in 0..<count {
            let lat = faults[i]?.lat ?? String(35.5 + Double(i % 500) * 0.001)
            let id = faults[i]?.id ?? "s\(i)"
            out += "\(id),訪問看護ステーション\(i),visiting_nurse_station,home_visit_nursing,\(lat),\(139.3 + Double(i / 500) * 0.001),11208,"
            out += hours[i].map { "\"\($0)\",home_visit_nursing\n" } ?? ",\n"
        }
        return out
    }

    static func count(_ db: SpatialDatabase) throws -> Int {
        try db.reader.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM providers") ?? -1 }
    }

    /// The reading thread places every point in the boundaries it is handed, over many chunks;
    /// the writer fills the codes the file left out from it, and a file loaded again keeps them.
    @Test func pointsArePlacedWhileReading() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.boundaries, files: [Fixtures.path(Fixtures.boundaries[0])], into: db)
        // 所沢市 (11208) around 35.79–35.81 N, 139.44–139.47 E; every row without its code.
        let rows = (0..<5_000).map { i in
            "s\(i),訪問看護ステーション\(i),visiting_nurse_station,home_visit_nursing,\(35.79 + Double(i % 100) * 0.0002),\(139.44 + Double(i / 100) * 0.0005),\n"
        }
        let text = "id,name,kind,services,lat,lon,municipality_code\n" + rows.joined()
        let path = try Fixtures.write(text, name: "stations.csv", in: dir)
        let boundaries = try db.reader.read { try MunicipalityLocator($0) }
        let parsed = try ProvidersImporter.parse(SourceFile(path: path), options: ImportOptions())
        let stream = try #require(parsed.providerStream)
        stream.place(in: boundaries)
        var placed: [String?] = []
        while let chunk = try stream.next() { placed += chunk.map(\.boundaryMunicipality) }
        #expect(placed.count == 5_000 && Set(placed) == ["11208"])
        for file in [text, text + "s5000,訪問看護ステーション,visiting_nurse_station,home_visit_nursing,35.8,139.45,\n"] {
            let report = try DataImport.run(.providers, files: [try Fixtures.write(file, name: "stations.csv", in: dir)], into: db)[0]
            #expect(report.status == .loaded && report.warnings.isEmpty, "\(report.warnings.prefix(3))")
            let bases = try db.reader.read {
                try Row.fetchAll($0, sql: "SELECT municipality_code, municipality_basis, count(*) AS n FROM providers GROUP BY 1, 2")
            }
            #expect(bases.count == 1 && bases.first?["municipality_code"] == "11208" && bases.first?["municipality_basis"] == "point")
        }
    }

    @Test func aFaultyRowFarIntoTheFileRefusesItAndKeepsTheEarlierRelease() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.providers, files: [try Fixtures.write(Self.file(10), name: "stations.csv", in: dir)], into: db)
        // Row 9,001 (line 9,002) comes after many chunks handed over; the other two sit in a chunk
        // never handed over and in the last, short one: every faulty row is named.
        let faults: [Int: (lat: String, id: String?)] = [9_000: ("北緯35度", nil), 11_500: ("", nil), 12_300: ("北緯", nil)]
        let bad = try Fixtures.write(Self.file(12_345, faults: faults), name: "stations.csv", in: dir)
        do {
            _ = try DataImport.run(.providers, files: [bad], into: db)
            Issue.record("a file with faulty rows was loaded")
        } catch let failure as ImportFailure {
            #expect(failure.issues.map(\.line) == [9_002, 11_502, 12_302])
            #expect(failure.issues.first?.column == "lat")
        }
        #expect(try Self.count(db) == 10)
    }

    /// The same bytes loaded before with --skip-invalid are still refused without it, as every
    /// other file is: "unchanged" is said only of a file whose rows read.
    @Test func anUnchangedFileIsStillCheckedRowByRow() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let path = try Fixtures.write(Self.file(3_000, faults: [2_500: ("北緯35度", nil)]), name: "stations.csv", in: dir)
        _ = try DataImport.run(.providers, files: [path], into: db, options: ImportOptions(skipInvalid: true))
        #expect(throws: ImportFailure.self) { _ = try DataImport.run(.providers, files: [path], into: db) }
        let again = try DataImport.run(.providers, files: [path], into: db, options: ImportOptions(skipInvalid: true))
        #expect(again.first?.status == .unchanged)
    }

    @Test func anIDGivenTwiceChunksApartIsRefusedNamingBothLines() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let twice = try Fixtures.write(Self.file(6_000, faults: [5_500: ("35.6", "s3")]), name: "twice.csv", in: dir)
        #expect {
            _ = try DataImport.run(.providers, files: [twice], into: db)
        } throws: { error in
            let issues = (error as? ImportFailure)?.issues ?? []
            return issues.count == 1 && issues[0].line == 5_502 && issues[0].message.contains("最初は 5 行目")
        }
        #expect(try Self.count(db) == 0)
    }

    @Test func skippedRowsAndWarningsOfLaterChunksReachTheReport() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let path = try Fixtures.write(Self.file(7_000, faults: [6_500: ("北緯35度", nil)],
                                                hours: [6_900: "Mo-Fr 18:00-09:00; Sa 09:00-13:00"]), name: "skip.csv", in: dir)
        let progress = ProgressLog()
        let report = try #require(try DataImport.run(.providers, files: [path], into: db, options: ImportOptions(skipInvalid: true)) {
            stage, done, total in progress.note(stage, done, total)
        }.first)
        // The rows left out count as done: the progress reaches its end.
        #expect(progress.last?.done == 7_000 && progress.last?.total == 7_000)
        #expect(report.rowsRead == 7_000 && report.rowsLoaded == 6_999 && report.rowsRejected == 1)
        #expect(report.rejected.first?.line == 6_502)
        #expect(report.warnings.contains { $0.line == 6_902 && $0.column == "opening_hours" })
        #expect(try Self.count(db) == 6_999)
        let stored = try db.reader.read {
            try Row.fetchOne($0, sql: "SELECT rows_read, rows_loaded, rows_rejected, warnings FROM datasets WHERE id = ?", arguments: [report.datasetID])
        }
        let counts: [Int?] = ["rows_read", "rows_loaded", "rows_rejected", "warnings"].map { stored?[$0] }
        #expect(counts == [7_000, 6_999, 1, report.warnings.count])
        #expect(report.warnings.count > 0)
    }

    /// A full disk in the middle of the writing: the write fails with SQLite's error, the reading
    /// has stopped by the time it returns, and the file holds what it held.
    @Test func aWriterThatFailsMidwayStopsTheReadingAndChangesNothing() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        try db.writer.writeWithoutTransaction { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA main.page_count") ?? 0
            _ = try Int.fetchOne(db, sql: "PRAGMA main.max_page_count = \(pages + 64)")
        }
        let path = try Fixtures.write(Self.file(40_000), name: "large.csv", in: dir)
        let parsed = try ProvidersImporter.parse(try SourceFile(path: path), options: ImportOptions())
        let stream = try #require(parsed.providerStream)
        #expect {
            try db.writeReleases { db in try DataImport.write([[parsed]], db: db, shrink: ReleaseShrinkRule(), progress: nil) }
        } throws: { error in
            (error as? DatabaseError)?.resultCode == .SQLITE_FULL
        }
        #expect(stream.hasEnded)
        #expect(try Self.count(db) == 0)
    }

    /// A writer that stops listening releases the reader, which would otherwise wait for room forever.
    @Test func cancellingReleasesTheReader() throws {
        let done = DispatchSemaphore(value: 0)
        let stream = ProviderStream(expected: 0) { sink in
            defer { done.signal() }
            while sink.put([]) {}
            return .failure(CancellationError())
        }
        #expect(try stream.next()?.isEmpty == true)
        stream.cancel()
        #expect(done.wait(timeout: .now() + 10) == .success)
    }
}

/// The last progress call of the writing stage.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var calls: [(done: Int, total: Int)] = []

    func note(_ stage: String, _ done: Int, _ total: Int) {
        guard stage.hasPrefix("書き込み") else { return }
        lock.withLock { calls.append((done, total)) }
    }

    var last: (done: Int, total: Int)? { lock.withLock { calls.last } }
}
