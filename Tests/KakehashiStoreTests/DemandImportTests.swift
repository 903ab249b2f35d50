import Foundation
import KakehashiModel
import Testing
@testable import KakehashiStore

/// MHLW「構想区域別の医療需要推計」as published (issue #21).
@Suite struct DemandImportTests {
    static let file = "planning/mhlw_r7_zaitaku_gairai_demand_forecast.xlsx"

    @Test func theWorkbookImportsAsPublished() throws {
        let db = try SpatialDatabase(path: try Fixtures.scratch().appendingPathComponent("db.sqlite").path)
        let report = try #require(try DataImport.run(.demand, files: [Fixtures.path(Self.file)], into: db).first)
        // 339 構想区域, six fiscal years, two kinds of care.
        #expect(report.rowsLoaded == 339 * 6 * 2 && report.referenceDate == "2024")
        // 西部 (埼玉, 1107) in 2040: the cell of the sheet, read here by the workbook reader alone.
        let book = try Workbook(data: try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path(Self.file))), file: "demand.xlsx")
        let sheet = try #require(book.sheets.first { $0.name.contains("在宅") })
        let years = try #require(sheet.rows.first { $0.fields.contains { $0.hasPrefix("2040年度") } })
        let column = try #require(years.fields.firstIndex { $0.hasPrefix("2040年度") })
        let row = try #require(sheet.rows.first { $0.fields.count > column && $0.fields[1] == "1107" })
        let cell = try #require(Double(row.fields[column]))
        let held = try #require(try db.demand(.homeVisit)["1107"])
        #expect(held.first { $0.fiscalYear == 2040 }?.receiptsPerMonth == cell)
        #expect(held.map(\.fiscalYear) == [2024, 2030, 2035, 2040, 2045, 2050])
        #expect(held.first?.projected == false && held.dropFirst().allSatisfy(\.projected))
        #expect(try db.demand(.outpatient)["1107"]?.count == 6)
        // Which figure a layer of a given population year shows.
        #expect(AreaDemand.shown(held, year: 2040)?.fiscalYear == 2040)
        #expect(AreaDemand.shown(held, year: 2025)?.fiscalYear == 2024)
        #expect(AreaDemand.shown(held, year: nil)?.fiscalYear == 2024)
        #expect(AreaDemand.shown(held, year: 2020) == nil)
    }

    @Test func badWorkbooksAreRefusedWithTheirPlace() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        func cells(_ row: Int, _ values: [String]) -> String {
            let letters = "ABCDEFGHIJK".map(String.init)
            return "<row r=\"\(row)\">" + values.enumerated().map { #"<c r="\#(letters[$0])\#(row)" t="inlineStr"><is><t>\#($1)</t></is></c>"# }.joined() + "</row>"
        }
        let years = cells(4, ["", "", "", "", "", "2024年度", "2030年度（現状投影）"])
        let header = cells(5, ["都道府県", "構想区域コード", "構想区域名", "人口(2024年度)", "人口(2040年)", "レセプト件数/月", "レセプト件数/月"])
        let cases: [(xml: String, says: String)] = [
            (years + header + cells(6, ["埼玉県", "1107", "西部", "1", "1", "8199.75", "多い"]), "2030年度"),
            (years + header + cells(6, ["埼玉県", "11070", "西部", "1", "1", "8199.75", "1"]), "4 桁"),
            (header + cells(6, ["埼玉県", "1107", "西部", "1", "1", "8199.75", "1"]), "年度（例: 2024年度）の行"),
        ]
        for c in cases {
            let path = try Fixtures.write(try WorkbookTests.book(sheets: [("将来の在宅（訪問診療）需要推計", c.xml)]), name: "demand.xlsx", in: dir)
            do {
                _ = try DataImport.run(.demand, files: [path], into: db)
                Issue.record("accepted: \(c.says)")
            } catch let failure as ImportFailure {
                #expect(failure.issues.contains { $0.message.contains(c.says) || ($0.column ?? "").contains(c.says) }, "\(failure.issues)")
            }
        }
        let text = try Fixtures.write("構想区域コード\n1107\n", name: "demand.csv", in: dir)
        #expect(throws: ImportFailure.self) { try DataImport.run(.demand, files: [text], into: db) }
        #expect(try db.demand(.homeVisit).isEmpty)
    }
}
