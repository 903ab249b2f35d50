import Foundation
import GRDB
import KakehashiModel
import Testing
@testable import KakehashiStore

/// The 厚生局 届出受理医療機関名簿 (issue #18): the real 埼玉 workbooks as published, and small files
/// in the same layout for what other bureaus and bad files do.
@Suite struct TodokedeTests {
    static let ika = "todokede/todokede_ika_11_saitama_r0710.xlsx"
    static let shika = "todokede/todokede_shika_11_saitama_r0806.xlsx"

    /// 埼玉's boundaries and the 町字 gazetteer, then both 名簿: built once per run.
    static let loaded: Result<(path: String, reports: [ImportReport]), any Error> = Result {
        let dir = try Fixtures.scratch()
        let path = dir.appendingPathComponent("todokede.sqlite").path
        let db = try SpatialDatabase(path: path)
        _ = try DataImport.run(.boundaries, files: [Fixtures.path(Fixtures.boundaries[0])], into: db)
        _ = try DataImport.run(.towns, files: [Fixtures.path("towns/towns_saitama_chiba_tokyo.csv")], into: db)
        let reports = try DataImport.run(.todokede, files: [Fixtures.path(ika)], into: db)
            + DataImport.run(.todokede, files: [Fixtures.path(shika)], into: db)
        try db.close()
        return (path, reports)
    }

    /// Reads the loaded database (held open for the read).
    static func read<T>(_ body: (Database) throws -> T) throws -> T {
        let db = try SpatialDatabase(path: try loaded.get().path, access: .readOnly)
        return try withExtendedLifetime(db) { try db.reader.read(body) }
    }

    /// Per institution (医療機関番号), the 受理記号 of its rows, read straight from the sheet.
    static func codesByInstitution(_ fixture: String) throws -> [String: [String]] {
        let book = try Workbook(data: try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path(fixture))), file: fixture)
        var codes: [String: [String]] = [:]
        for row in book.sheets[0].rows where row.line >= 5 { codes[row.fields[4], default: []].append(row.fields[14]) }
        return codes
    }

    /// Institutions holding a capability (with this detail), counted in the database.
    static func count(_ capability: Capability, detail: String? = nil, division: String) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: """
                SELECT count(*) FROM provider_capabilities c JOIN providers p ON p.id = c.provider_id
                WHERE c.capability = ? AND (? IS NULL OR c.detail = ?) AND substr(p.official_id, 3, 1) = ?
                """, arguments: [capability.rawValue, detail, detail, division]) ?? -1
        }
    }

    @Test func capabilitiesOfTheRealSaitamaFilesAgreeWithTheirRows() throws {
        let medical = try Self.codesByInstitution(Self.ika)
        func holders(_ codes: [String: [String]], _ prefix: String) -> [String: Set<String>] {
            codes.compactMapValues { list in
                let found = Set(list.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count).prefix(1)) })
                return found.isEmpty ? nil : found
            }
        }
        let clinics = holders(medical, "支援診"), hospitals = holders(medical, "支援病")
        #expect(try Self.count(.homeSupportClinic, division: "1") == clinics.count)
        #expect(try Self.count(.homeSupportHospital, division: "1") == hospitals.count)
        #expect(try Self.count(.backupHospital, division: "1") == holders(medical, "在後病").count)
        // By type, where an institution holds one type only (a few list two: the later holds).
        for (digit, detail) in [("１", "enhanced_single"), ("２", "enhanced_joint"), ("３", "standard")] {
            let only = clinics.values.filter { $0 == [digit] }.count, twofold = clinics.values.filter { $0.count > 1 && $0.contains(digit) }.count
            let n = try Self.count(.homeSupportClinic, detail: detail, division: "1")
            #expect(n >= only && n <= only + twofold, "支援診\(digit): \(n) in the database, \(only) (+\(twofold)) in the file")
        }
        #expect(clinics.count == 572 && hospitals.count == 87, "the 2025-09 file: \(clinics.count) 在支診, \(hospitals.count) 在支病")
        let dental = try Self.codesByInstitution(Self.shika)
        #expect(try Self.count(.homeSupportDental, division: "3") == holders(dental, "歯援診").count + holders(dental, "歯援病").count)
        #expect(holders(dental, "歯援診").count > 300)
    }

    @Test func institutionsArePlacedAtTownLevel() throws {
        let rows = try Self.read { db in
            try Row.fetchAll(db, sql: "SELECT official_id, name, address, location_level FROM providers WHERE source = 'todokede'")
        }
        let placed = rows.filter { $0["location_level"] as String? == "town" }.count
        let share = Double(placed) / Double(rows.count)
        let unplaced = rows.filter { $0["location_level"] as String? == nil }.map { "\($0["official_id"] as String) \($0["address"] as String)" }
        print("名簿: \(placed) of \(rows.count) institutions placed at town level (\(String(format: "%.1f", share * 100)) %); not placed:\n" + unplaced.joined(separator: "\n"))
        #expect(rows.count == 4_305 + 3_458)
        #expect(share >= 0.97, "placed \(placed) of \(rows.count)")
    }

    @Test func theReportSaysWhatWasRead() throws {
        let reports = try Self.loaded.get().reports
        #expect(reports.map(\.referenceDate) == ["2025-09-01", "2026-05-01"])
        #expect(reports.map(\.sourceKey) == ["todokede:医科:11", "todokede:歯科:11"])
        #expect(reports[0].rowsRead == 35_541 && reports[0].rowsLoaded == 4_305)
        let credit = try Self.read { try String.fetchOne($0, sql: "SELECT credit FROM datasets WHERE source_kind = 'todokede' LIMIT 1") }
        #expect(credit == "「関東信越厚生局 届出受理医療機関名簿」を加工して作成")
        // Every 届出 is kept, codes with no bearing on home care too.
        let notices = try Self.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM provider_notices") }
        #expect(notices ?? 0 > 60_000)
        let first = try Self.read { db in
            try Row.fetchOne(db, sql: """
                SELECT n.code, n.notice_number, n.since, p.name, p.phone, p.address FROM provider_notices n JOIN providers p ON p.id = n.provider_id
                WHERE p.official_id = '1110101303' ORDER BY n.source_line LIMIT 1
                """)
        }
        #expect(first?["code"] as String? == "時間外３" && first?["notice_number"] as String? == "第418号" && first?["since"] as String? == "2010-04-01")
        #expect(first?["name"] as String? == "田辺医院" && first?["phone"] as String? == "048-861-3292")
        #expect(first?["address"] as String? == "埼玉県さいたま市南区根岸４－５－１１")
    }
}
