import Foundation
import GRDB
import KakehashiModel
import Testing
@testable import KakehashiStore

/// Population by year and kind (issue #21): the 社人研 projection in long form, its sums, and the
/// rule that a projection never stands in for an actual figure unasked.
@Suite struct PopulationYearsTests {
    static let projection = "planning/ipss2023_projection_11_12_13.csv"

    /// The file's own rows, read here without the importer: code/year → the named column.
    static func fileValues(_ column: String) throws -> [String: Int?] {
        let lines = try Fixtures.text(projection).split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let header = lines[0].map(String.init)
        let (code, year, value) = (header.firstIndex(of: "code")!, header.firstIndex(of: "year")!, header.firstIndex(of: column)!)
        var out: [String: Int?] = [:]
        for f in lines.dropFirst() { out["\(f[code])/\(f[year])"] = Int(f[value]) }
        return out
    }

    static func rows(_ db: SpatialDatabase, _ sql: String) throws -> [Row] { try db.reader.read { try Row.fetchAll($0, sql: sql) } }

    @Test func theProjectionImportsEveryYearAndItsMunicipalitiesSumToTheirPrefecture() throws {
        let db = try SpatialDatabase(path: try Fixtures.scratch().appendingPathComponent("db.sqlite").path)
        let report = try DataImport.run(.population, files: [Fixtures.path(Self.projection)], into: db)
        #expect(report.first?.rowsLoaded == 1_386)
        let years = try db.populationYears()
        #expect(years.map(\.year) == [2020, 2025, 2030, 2035, 2040, 2045, 2050])
        #expect(years.first?.kinds == [.census] && years.dropFirst().allSatisfy { $0.kinds == [.projection] })
        // A prefecture's row equals the sum of its municipalities' (政令市 rows left out: their wards count).
        let sums = try Self.rows(db, """
            SELECT substr(code, 1, 2) AS prefecture, reference_year AS year, sum(total) AS total, sum(age_65_plus) AS a65
            FROM municipality_population WHERE area = 'municipality' GROUP BY 1, 2
            """)
        let prefectures = try Self.rows(db, "SELECT code, reference_year AS year, total, age_65_plus AS a65 FROM municipality_population WHERE area = 'prefecture'")
        #expect(sums.count == 21 && prefectures.count == 21)
        for p in prefectures {
            let s = sums.first { ($0["prefecture"] as String) + "000" == p["code"] as String && $0["year"] as Int == p["year"] as Int }
            #expect(s?["total"] as Int? == p["total"] as Int, "\(p["code"] as String) \(p["year"] as Int)")
            #expect(s?["a65"] as Int? == p["a65"] as Int, "\(p["code"] as String) \(p["year"] as Int)")
        }
        // 所沢市 in 2040, as the file has it; 75+ is published for the 23 wards only.
        let tokorozawa = try #require(try db.municipalPopulation(year: 2040)["11208"])
        #expect(tokorozawa.age65Plus == (try Self.fileValues("pop_65plus")["11208/2040"] ?? nil))
        #expect(tokorozawa.kind == .projection && tokorozawa.age75Plus == nil)
        #expect(try db.municipalPopulation(year: 2040)["13101"]?.age75Plus == (try Self.fileValues("pop_75plus")["13101/2040"] ?? nil))
        #expect(try db.municipalPopulation(year: 2040)["11100"]?.area == .designatedCity)
    }

    @Test func aProjectionNeverStandsInForAnActualFigure() throws {
        let db = try SpatialDatabase(path: try Fixtures.scratch().appendingPathComponent("db.sqlite").path)
        _ = try DataImport.run(.population, files: [Fixtures.path(Self.projection)], into: db)
        // Only the census base year is actual: it is the default, not 2025's projection.
        #expect(try db.municipalPopulation()["11208"]?.year == 2020)
        #expect(try db.municipalPopulation()["11208"]?.kind == .census)
        // An estimate of 2025 loaded beside the projection of 2025: the estimate is shown, the projection kept.
        _ = try DataImport.run(.population, files: [Fixtures.path("population/municipal_elderly_2025_saitama_chiba_tokyo.csv")], into: db)
        let now = try db.municipalPopulation()
        #expect(now["11208"]?.year == 2025 && now["11208"]?.kind == .estimate && now["11208"]?.age75Plus != nil)
        #expect(try Self.rows(db, "SELECT kind FROM municipality_population WHERE code = '11208' AND reference_year = 2025").count == 2)
        #expect(try db.municipalPopulation(year: 2040)["11208"]?.kind == .projection)
        #expect(try db.municipalPopulation(year: 1999).isEmpty)
        // With nothing actual held, the projection of the latest year up to today.
        let held = [PopulationYears.Year(year: 2025, kinds: [.projection]), PopulationYears.Year(year: 2030, kinds: [.projection])]
        #expect(PopulationYears.choose(held, asked: nil, today: Date(timeIntervalSince1970: 1_800_000_000)) == 2025)
        #expect(PopulationYears.choose(held, asked: nil, today: Date(timeIntervalSince1970: 1_600_000_000)) == 2025)
        #expect(PopulationYears.choose(held, asked: 2030, today: Date()) == 2030)
        #expect(PopulationYears.choose(held, asked: 2035, today: Date()) == nil)
    }

    @Test func badRowsOfTheProjectionAreNamed() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let header = "code,kind,kind_label,pref_name,muni_name,year,is_projection,pop_total,pop_0_14,pop_15_64,pop_65plus,pop_75plus,share_65plus\n"
        let cases: [(row: String, column: String)] = [
            ("11208,2,市,埼玉県,所沢市,2040,2,322316,30130,175562,116624,,0.36", "is_projection"),
            ("11208,7,市,埼玉県,所沢市,2040,1,322316,30130,175562,116624,,0.36", "kind"),  // 9 is 浜通り地域, one area of 13
            ("11208,2,市,埼玉県,所沢市,2040,1,322316,30130,175562,400000,,0.36", "pop_65plus"),
            ("11208,2,市,埼玉県,所沢市,2040,1,322316,30130,175562,116624,120000,0.36", "pop_75plus"),
        ]
        for c in cases {
            let file = try Fixtures.write(header + c.row + "\n", name: "projection.csv", in: dir)
            do {
                _ = try DataImport.run(.population, files: [file], into: db)
                Issue.record("\(c.row) was accepted")
            } catch let failure as ImportFailure {
                #expect(failure.issues.contains { $0.line == 2 && $0.column == c.column }, "\(failure.issues)")
            }
        }
        let twice = try Fixtures.write(header + cases[0].row.replacingOccurrences(of: ",2,322316", with: ",1,322316") + "\n"
                                       + cases[0].row.replacingOccurrences(of: ",2,322316", with: ",1,322316") + "\n", name: "twice.csv", in: dir)
        #expect(throws: ImportFailure.self) { try DataImport.run(.population, files: [twice], into: db) }
        #expect(try db.populationYears().isEmpty)
    }
}

/// `kakehashi import medical-areas` (issue #21): the real table, and bad rows named by line and column.
@Suite struct MedicalAreasImportTests {
    @Test func theTableImportsAndBadRowsAreNamed() throws {
        let dir = try Fixtures.scratch()
        let db = try SpatialDatabase(path: dir.appendingPathComponent("db.sqlite").path)
        let header = "muni_code,muni_name,area_code,area_name,pref_code,pref_name\n"
        let cases: [(rows: String, line: Int, column: String)] = [
            ("11208,所沢市,1107,西部,11,埼玉県\n11208,所沢市,1106,川越比企,11,埼玉県\n", 3, "muni_code"),
            ("11208,所沢市,西部,西部,11,埼玉県\n", 2, "area_code"),
            ("11208,所沢市,1107,西部,12,千葉県\n", 2, "pref_code"),
            ("abc,所沢市,1107,西部,11,埼玉県\n", 2, "muni_code"),
        ]
        for c in cases {
            let file = try Fixtures.write(header + c.rows, name: "areas.csv", in: dir)
            do {
                _ = try DataImport.run(.medicalAreas, files: [file], into: db)
                Issue.record("accepted: \(c.rows)")
            } catch let failure as ImportFailure {
                #expect(failure.issues.contains { $0.line == c.line && $0.column == c.column }, "\(failure.issues)")
            }
        }
        #expect(try db.planningAreas(.secondaryMedicalArea).isEmpty, "nothing written by a refused file")
        _ = try DataImport.run(.medicalAreas, files: [Fixtures.path("planning/iryoken2_municipalities_11_12_13.csv")], into: db)
        let areas = try db.planningAreas(.secondaryMedicalArea)
        #expect(areas.count == 32 && areas.reduce(0) { $0 + $1.members.count } == 193)
        #expect(areas.first { $0.members.contains("11208") }?.name == "西部")
    }
}
