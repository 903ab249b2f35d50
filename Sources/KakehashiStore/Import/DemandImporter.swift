import Foundation
import KakehashiModel

/// MHLW「構想区域別の医療需要推計」as published: an xlsx with a sheet per kind of care (将来の在宅
/// （訪問診療）需要推計, 将来の外来需要推計); above the data a row of fiscal years (`2024年度`,
/// `2030年度（現状投影）` …) and the header row (都道府県, 構想区域コード, 構想区域名, 人口…, then
/// レセプト件数/月 under each year). The header is found by its names, not its row number. A year
/// marked 投影 or 推計 is a projection; the others are actual.
public enum DemandImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        guard Workbook.isZip(file.data) else {
            throw ImportFailure(ImportIssue(file: file.name, "Excel ブック（.xlsx）ではありません。厚生労働省が公表したブックをそのまま指定してください"))
        }
        let book = try Workbook(data: file.data, file: file.name)
        var parsed = ParsedDataset(kind: .demand, file: file, sourceKey: "demand:mhlw")
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for sheet in book.sheets {
            guard let care = care(of: sheet.name) else { continue }
            let name = "\(file.name)（\(sheet.name)）"
            guard let at = sheet.rows.prefix(20).firstIndex(where: { $0.fields.contains("構想区域コード") }) else {
                throw ImportFailure(ImportIssue(file: name, "見出し「構想区域コード」が先頭 20 行にありません"))
            }
            guard at > 0 else { throw ImportFailure(ImportIssue(file: name, line: sheet.rows[at].line, "見出しの上に年度（例: 2024年度）の行がありません")) }
            let years = sheet.rows[at - 1]
            // Each year's column is named レセプト件数/月 alike: its name here is the year's and that.
            let named = sheet.rows[at].fields.enumerated().map { i, field in
                i < years.fields.count && !years.fields[i].isEmpty ? "\(years.fields[i]) \(field)" : field
            }
            let header = CSVTable.Row(line: sheet.rows[at].line, fields: named)
            let table = try CSVTable(file: name, header: header, rows: Array(sheet.rows[(at + 1)...]))
            let columns = try table.require([("構想区域コード", ["構想区域コード"]), ("構想区域名", ["構想区域名"])])
            // The year columns: a fiscal year above, receipts a month below.
            let yearColumns: [(column: Int, year: Int, projected: Bool)] = years.fields.enumerated().compactMap { i, text in
                guard let year = Int(text.prefix(4)), text.dropFirst(4).hasPrefix("年度"), (1990...2100).contains(year) else { return nil }
                return (i, year, text.contains("投影") || text.contains("推計"))
            }
            guard !yearColumns.isEmpty else {
                throw ImportFailure(ImportIssue(file: name, line: years.line, "見出しの上の行に年度（例: 2024年度）がありません"))
            }
            for row in table.rows where row.fields.contains(where: { !$0.isEmpty }) {
                parsed.rowsRead += 1
                var r = RowReader(table: table, row: row)
                let code = FieldText.halfWidth(r.text(columns[0]))
                if code.count != 4 || !code.allSatisfy(\.isASCII) || !code.allSatisfy(\.isNumber) {
                    r.fail(columns[0], "構想区域コードは 4 桁の数字です（値: \(FieldText.excerpt(r.text(columns[0])))）")
                }
                if let first = seen["\(care)/\(code)"] { r.fail(columns[0], "構想区域コード \(code) が重複しています（最初は \(first) 行目）") }
                var values: [(Int, Bool, Double)] = []
                for c in yearColumns {
                    let text = r.text(c.column)
                    guard let v = Double(text), v.isFinite, v >= 0 else {
                        r.fail(c.column, "\(c.year)年度の件数が数値ではありません（値: \(FieldText.excerpt(text))）")
                        continue
                    }
                    values.append((c.year, c.projected, v))
                }
                guard errors.accept(r, into: &parsed) else { continue }
                seen["\(care)/\(code)"] = row.line
                for (year, projected, v) in values {
                    parsed.demand.append(DemandRecord(line: row.line, areaCode: code, areaName: r.text(columns[1]), care: care, fiscalYear: year,
                                                      projected: projected, receiptsPerMonth: v))
                }
            }
        }
        try errors.check()
        guard !parsed.demand.isEmpty else {
            throw ImportFailure(ImportIssue(file: file.name, "在宅（訪問診療）または外来の需要推計のシートがありません（シート: \(book.sheets.map(\.name).joined(separator: "、"))）"))
        }
        parsed.referenceDate = options.referenceDate ?? parsed.demand.filter { !$0.projected }.map(\.fiscalYear).max().map { "\($0)" }
        return parsed
    }

    /// The kind of care a sheet projects, by its name.
    static func care(of sheet: String) -> CareDemand? {
        if sheet.contains("在宅") || sheet.contains("訪問診療") { return .homeVisit }
        if sheet.contains("外来") { return .outpatient }
        return nil
    }
}
