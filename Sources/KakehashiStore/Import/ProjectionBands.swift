import Foundation
import KakehashiModel

/// 社人研 `suikei_kekka.xlsx`: a row per area and year, 総数 and five-year age bands — both sexes
/// first, then men, then women (the same headings again), then indices, shares and (再掲) sums.
/// The first run of bands from 0 that closes with an open band (95歳～) is the one read.
enum ProjectionBands {
    struct Band {
        var column: Int
        var lower: Int
        var upper: Int?
    }

    /// `0～4歳`, `5～9`, `95歳～`, `95歳以上`.
    static func band(_ text: String) -> (lower: Int, upper: Int?)? {
        var t = Heading.normal(text)
        var open = false
        if t.hasSuffix("以上") { t.removeLast(2); open = true }
        let parts = t.replacingOccurrences(of: "歳", with: "").split(separator: "～", omittingEmptySubsequences: false)
        guard let lower = Int(parts[0]), parts.count <= 2 else { return nil }
        if parts.count == 1 { return open ? (lower, nil) : nil }
        if parts[1].isEmpty { return (lower, nil) }
        guard !open, let upper = Int(parts[1]), upper >= lower else { return nil }
        return (lower, upper)
    }

    /// The bands of both sexes: headings in the header row or the row under it.
    static func bands(_ header: [String], _ below: [String]) -> [Band]? {
        var run: [Band] = []
        for i in 0..<max(header.count, below.count) {
            let label = [below, header].lazy.compactMap { i < $0.count ? band($0[i]) : nil }.first
            guard let label else { continue }
            if label.lower == 0 { run = [] }
            guard label.lower == 0 || run.last?.upper.map({ $0 + 1 }) == label.lower else { run = []; continue }
            run.append(Band(column: i, lower: label.lower, upper: label.upper))
            if label.upper == nil { return run }
        }
        return nil
    }

    static func parse(_ sheet: Workbook.Sheet, header at: Int, file: SourceFile, name: String, options: ImportOptions) throws -> ParsedDataset {
        let header = sheet.rows[at].fields, below = at + 1 < sheet.rows.count ? sheet.rows[at + 1].fields : []
        guard let bands = bands(header, below) else {
            throw ImportFailure(ImportIssue(file: name, line: sheet.rows[at].line, "5 歳階級（0～4歳 … 95歳～）の見出しが読めません"))
        }
        let totals = ["総数", "計", "男女計", "総人口"]
        let totalColumn = (0..<bands[0].column).first { i in
            [header, below].contains { i < $0.count && totals.contains(Heading.normal($0[i])) }
        }
        guard let totalColumn else {
            throw ImportFailure(ImportIssue(file: name, line: sheet.rows[at].line, "年齢階級の前に総数の列がありません"))
        }
        // A row stops at its last cell: the bands below may reach further right than the header row.
        var names = Heading.names(header)
        names += Array(repeating: "", count: max(0, below.count - names.count))
        names[totalColumn] = "総数"
        for b in bands { names[b.column] = b.upper.map { "\(b.lower)～\($0)歳" } ?? "\(b.lower)歳～" }
        let dataStart = below.contains(where: { band($0) != nil }) ? at + 2 : at + 1
        let table = try CSVTable(file: name, header: CSVTable.Row(line: sheet.rows[at].line, fields: names),
                                 rows: Array(sheet.rows[min(dataStart, sheet.rows.count)...]))
        // 年 in column E as published, if its heading is not found.
        let yearColumn = table.column(["年", "年次"]) ?? 4
        var parsed = ParsedDataset(kind: .population, file: file, sourceKey: "")
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        var rows: [(record: PopulationRecord, area: PopulationArea)] = []
        for row in table.rows {
            var r = RowReader(table: table, row: row)
            let area = Heading.area(&r)
            if area == nil && r.issues.isEmpty { continue }
            parsed.rowsRead += 1
            let year = Heading.year(in: r.text(yearColumn))
            if year == nil { r.fail(yearColumn, "年が読めません（値: \(FieldText.excerpt(r.text(yearColumn)))）") }
            if let area, let year, let first = seen["\(area.code)/\(year)"] {
                r.fail(table.column(["コード"]), "地域コード \(area.code) の \(year) 年が重複しています（最初は \(first) 行目）")
            }
            let total = r.count(totalColumn, required: true)
            let values = bands.map { (band: $0, value: r.count($0.column, required: true)) }
            func sum(_ lower: Int, _ below: Int) -> Int {
                values.filter { $0.band.lower >= lower && $0.band.lower < below }.reduce(0) { $0 + ($1.value ?? 0) }
            }
            if let total, values.allSatisfy({ $0.value != nil }), sum(0, .max) != total {
                r.fail(totalColumn, "5 歳階級の和 \(sum(0, .max)) が総数 \(total) と違います")
            }
            guard errors.accept(r, into: &parsed), let area, let year, let total else { continue }
            seen["\(area.code)/\(year)"] = row.line
            var record = PopulationRecord(line: row.line, code: area.code, name: area.name, year: year, total: total,
                                          age65Plus: sum(65, .max), age75Plus: sum(75, .max))
            (record.age0To14, record.age15To64) = (sum(0, 15), sum(15, 65))
            rows.append((record, area.area))
        }
        try errors.check()
        let base = rows.map(\.record.year).min()
        for var row in rows {
            finish(&row.record, area: row.area, base: base)
            parsed.population.append(row.record)
        }
        guard !parsed.population.isEmpty else { throw ImportFailure(ImportIssue(file: name, "地域の行がありません")) }
        return released(parsed, options: options)
    }

    /// What makes a year's figures impossible, said in Japanese, and whether the 75+ figure is the one at fault.
    static func inconsistency(_ r: PopulationRecord) -> (message: String, of75Plus: Bool)? {
        if let a65 = r.age65Plus, a65 > r.total { return ("65 歳以上人口 \(a65) が総人口 \(r.total) を超えています", false) }
        if let a65 = r.age65Plus, let a75 = r.age75Plus, a75 > a65 { return ("75 歳以上人口 \(a75) が 65 歳以上人口 \(a65) を超えています", true) }
        return nil
    }

    /// The earliest year of a release is its census base; the later ones are projected.
    static func finish(_ record: inout PopulationRecord, area: PopulationArea, base: Int?) {
        record.kind = record.year == base ? .census : .projection
        record.area = area
        if let a65 = record.age65Plus, let a75 = record.age75Plus { record.age65To74 = a65 - a75 }
    }

    /// Keyed as the long-form CSV is: a newer 推計 of the same prefectures replaces this one.
    static func released(_ parsed: ParsedDataset, options: ImportOptions) -> ParsedDataset {
        var p = parsed
        p.credit = options.credit ?? "国立社会保障・人口問題研究所『日本の地域別将来推計人口』を加工して作成"
        p.referenceDate = options.referenceDate ?? p.population.map(\.year).min().map { "\($0)" }
        p.sourceKey = "population:projection:\(FieldText.prefectureSet(p.population.map(\.code)))"
        return p
    }
}
