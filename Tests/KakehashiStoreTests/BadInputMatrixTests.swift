import Foundation
import KakehashiModel
import Testing
@testable import KakehashiStore

/// The same five kinds of damage applied to a real file of every CSV importer: each is refused with
/// file, line and column, and the database is left byte-for-byte as it was.
@Suite struct BadInputMatrixTests {
    struct Case: Sendable, CustomStringConvertible {
        let kind: SourceKind
        /// Fixture path (under ../shared/data) or `demo:` path under the project's data/.
        let source: String
        let fileName: String
        /// A required column to drop, and a numeric column to set to NaN.
        let required: String
        let numeric: String
        /// The column a duplicated row is reported on.
        let idColumn: String
        var description: String { "\(kind.rawValue) \(source)" }
    }

    static let cases: [Case] = [
        Case(kind: .kaigo, source: "kaigo/jigyosho_130_saitama_chiba_tokyo.csv", fileName: "jigyosho_130.csv", required: "事業所番号", numeric: "緯度", idColumn: "事業所番号"),
        Case(kind: .zaishishin, source: "clinics/zaishishin_tokorozawa_iruma.csv", fileName: "zaishishin.csv", required: "lat", numeric: "lat", idColumn: "id"),
        Case(kind: .towns, source: "towns/towns_saitama_chiba_tokyo.csv", fileName: "towns.csv", required: "city_code", numeric: "lng", idColumn: "town"),
        Case(kind: .population, source: "population/municipal_elderly_2025_saitama_chiba_tokyo.csv", fileName: "population_2025.csv", required: "pop_total_2025", numeric: "elderly_65_2025", idColumn: "code"),
        Case(kind: .meshPopulation, source: "mesh/mesh250m_2010_5339_population.csv", fileName: "mesh250m_2010.csv", required: "mesh250m_code", numeric: "pop_total", idColumn: "mesh250m_code"),
        Case(kind: .iryo, source: "demo:iryo/iryo_facilities_demo.csv", fileName: "iryo_facilities.csv", required: "正式名称", numeric: "所在地座標（経度）", idColumn: "ID"),
        Case(kind: .providers, source: "demo:providers/pharmacies_demo.csv", fileName: "pharmacies.csv", required: "kind", numeric: "lon", idColumn: "id"),
    ]

    static func lines(_ c: Case) throws -> [String] {
        let text: String
        if c.source.hasPrefix("demo:") {
            text = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("data").appendingPathComponent(String(c.source.dropFirst(5))), encoding: .utf8)
        } else {
            text = try Fixtures.text(c.source)
        }
        return Array(text.replacingOccurrences(of: "\u{FEFF}", with: "").split(whereSeparator: \.isNewline).prefix(5).map(String.init))
    }

    /// Splits a line of the first rows (which hold no quoted commas) into fields.
    static func fields(_ line: String) -> [String] { line.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }

    static func refuse(_ c: Case, _ text: String, encoding: String? = nil) throws -> [ImportIssue] {
        let dir = try Fixtures.scratch()
        let path = encoding == nil
            ? try Fixtures.write(text, name: c.fileName, in: dir)
            : try Fixtures.write(try BadInputTests.iconv(text, to: encoding!), name: c.fileName, in: dir)
        let issues = try BadInputTests.refuse(c.kind, [path], in: dir)
        #expect(issues.allSatisfy { $0.file == c.fileName })
        return issues
    }

    @Test(arguments: cases) func truncated(_ c: Case) throws {
        var rows = try Self.lines(c)
        let last = Self.fields(rows[4])
        rows[4] = last.prefix(max(1, last.count / 2)).joined(separator: ",")
        let issues = try Self.refuse(c, rows.joined(separator: "\n"))
        #expect(issues.last?.line == 5)
        #expect(issues.last?.message.contains("途中で切れている") == true, "\(issues)")
    }

    /// UTF-16 without a BOM, as some spreadsheet exports write it.
    @Test(arguments: cases) func wrongEncoding(_ c: Case) throws {
        let issues = try Self.refuse(c, try Self.lines(c).joined(separator: "\n"), encoding: "UTF-16LE")
        #expect(issues.first?.line == 1)
        #expect(issues.first?.message.contains("文字コードが違います") == true, "\(issues)")
    }

    @Test(arguments: cases) func missingColumn(_ c: Case) throws {
        let rows = try Self.lines(c)
        let header = Self.fields(rows[0])
        let i = try #require(header.firstIndex(of: c.required))
        let cut = rows.map { line in var f = Self.fields(line); f.remove(at: i); return f.joined(separator: ",") }
        let issues = try Self.refuse(c, cut.joined(separator: "\n"))
        #expect(issues.count == 1)
        #expect(issues[0].line == 1)
        #expect(issues[0].message.contains("必須の列がありません"), "\(issues)")
    }

    @Test(arguments: cases) func notANumber(_ c: Case) throws {
        var rows = try Self.lines(c)
        let i = try #require(Self.fields(rows[0]).firstIndex(of: c.numeric))
        var f = Self.fields(rows[2])
        f[i] = "NaN"
        rows[2] = f.joined(separator: ",")
        let issues = try Self.refuse(c, rows.joined(separator: "\n"))
        #expect(issues.map(\.line) == [3], "\(issues)")
        #expect(issues.first?.column == c.numeric)
    }

    @Test(arguments: cases) func duplicateID(_ c: Case) throws {
        var rows = try Self.lines(c)
        rows.append(rows[1])
        let issues = try Self.refuse(c, rows.joined(separator: "\n"))
        #expect(issues.map(\.line) == [6], "\(issues)")
        #expect(issues.first?.column == c.idColumn)
        #expect(issues.first?.message.contains("重複") == true)
    }
}
