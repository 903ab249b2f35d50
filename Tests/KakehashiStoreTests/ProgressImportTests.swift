import Foundation
import KakehashiModel
import Testing
@testable import KakehashiStore

/// (ア)–(ク) progress from a municipality's CSV (issue #21): each row a record as a steward's write,
/// audited; a bad row named by line and column, and then nothing written.
@Suite struct ProgressImportTests {
    @Test func rowsAreRecordedAndAuditedAndBadFilesChangeNothing() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.boundaries, files: [Fixtures.path(Fixtures.boundaries[0])], into: db)
        let good = try Fixtures.write("""
            市区町村コード,項目,年度,段階,記録日,備考
            11208,ア,2025年度,実施中,2025/06/01,"資源マップ, 冊子"
            11208,(イ),2025,considering,,
            11201,h,2024,評価・改善,2024-12-01,
            """, name: "progress.csv", in: dir)
        let report = try #require(try DataImport.run(.progress, files: [good], into: db).first)
        #expect(report.rowsLoaded == 3 && report.kind == .progress)
        let held = try db.progress(prefecture: "11")
        #expect(held.count == 3)
        let a = try #require(held.first { $0.municipalityCode == "11208" && $0.item == .a })
        #expect(a.stage == .implementing && a.recordedOn == "2025-06-01" && a.note == "資源マップ, 冊子" && a.updatedBy == "import:progress.csv")
        #expect(try db.auditLog().filter { $0.action == "progress.put" }.count == 3)

        let cases: [(String, line: Int, column: String)] = [
            ("municipality_code,item,fiscal_year,stage\n11208,a,2025,implementing\n99999,a,2025,implementing\n", 3, "municipality_code"),
            ("municipality_code,item,fiscal_year,stage\n11208,z,2025,implementing\n", 2, "item"),
            ("municipality_code,item,fiscal_year,stage\n11208,a,2025,done\n", 2, "stage"),
            ("municipality_code,item,fiscal_year,stage\n11208,a,1990,implementing\n", 2, "fiscal_year"),
            ("municipality_code,item,fiscal_year,stage,recorded_on\n11208,a,2025,implementing,2025-13-01\n", 2, "recorded_on"),
            ("municipality_code,item,fiscal_year,stage\n11208,a,2025,implementing\n11208,ア,2025,considering\n", 3, "municipality_code"),
        ]
        for (i, c) in cases.enumerated() {
            let file = try Fixtures.write(c.0, name: "bad\(i).csv", in: dir)
            do {
                _ = try DataImport.run(.progress, files: [file], into: db)
                Issue.record("accepted: \(c.0)")
            } catch let failure as ImportFailure {
                #expect(failure.issues.first?.line == c.line && failure.issues.first?.column == c.column, "\(failure.issues)")
            }
        }
        // Nothing of the bad files landed, and a later file adds without deleting.
        #expect(try db.progress().map(\.stage) == held.map(\.stage))
        let later = try Fixtures.write("municipality_code,item,fiscal_year,stage\n11208,a,2025,evaluating\n", name: "later.csv", in: dir)
        _ = try DataImport.run(.progress, files: [later], into: db)
        #expect(try db.progress().count == 3 && (try db.progress(municipality: "11208").first { $0.item == .a }?.stage) == .evaluating)
    }
}
