import Foundation
import KakehashiModel
import Testing
@testable import KakehashiStore

/// Hours a file writes are loaded as written, and what they probably did not mean is reported.
@Suite struct HoursWarningsImportTests {
    @Test func nativeHoursWarningsReachTheReport() throws {
        let dir = try Fixtures.scratch()
        let csv = """
        id,name,kind,services,lat,lon,opening_hours
        W1,夜間診療所,clinic,home_visit_medical,35.8,139.46,Mo-Fr 18:00-09:00; Sa 09:00-13:00
        W2,診療所,clinic,home_visit_medical,35.8,139.46,Mo-Fr 09:00-18:00; PH off
        W3,夜間診療所2,clinic,home_visit_medical,35.8,139.46,Mo-Fr 18:00-09:00; Sa 09:00-13:00
        """
        let db = try SpatialDatabase(path: dir.appendingPathComponent("w.sqlite").path)
        let report = try #require(try DataImport.run(.providers, files: [Fixtures.write(csv, name: "native.csv", in: dir)], into: db).first)
        #expect(report.rowsLoaded == 3)
        let hours = report.warnings.filter { $0.column == "opening_hours" }
        #expect(hours.map(\.line) == [2, 4])
        #expect(hours.first?.message.hasPrefix("「Mo-Fr 18:00-09:00; Sa 09:00-13:00」: 規則 2は前の規則の日付をまたぐ時間") == true)
        try db.close()
    }
}
