import Foundation

/// Population per municipality by age band: `code,pref,name,pop_total_2025,elderly_65_2025,
/// elderly_75_2025,elderly_65_74_2025` (the reference year read from the column names), or the same
/// with Japanese headings (市区町村コード, 総人口, 65歳以上, 75歳以上) and `--year`.
public enum PopulationImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        func find(_ prefixes: [String]) -> Int? {
            table.header.firstIndex { h in prefixes.contains { h == $0 || h.hasPrefix($0 + "_") } }
        }
        guard let cCode = find(["code", "市区町村コード", "団体コード"]) else {
            _ = try table.require([("code", ["code", "市区町村コード", "団体コード"])])
            throw ImportFailure([])
        }
        guard let cTotal = find(["pop_total", "総人口", "総数"]) else {
            _ = try table.require([("pop_total", ["pop_total", "総人口"])])
            throw ImportFailure([])
        }
        try table.requireRectangular()
        let c65 = find(["elderly_65", "65歳以上"]), c75 = find(["elderly_75", "75歳以上"]), c6574 = find(["elderly_65_74", "65～74歳", "65-74歳"])
        let cName = find(["name", "市区町村名", "市区町村"])
        guard let year = options.year ?? yearIn(table.header[cTotal]) ?? yearIn(file.name) else {
            throw ImportFailure(ImportIssue(file: file.name, line: 1, column: table.header[cTotal],
                                            "基準年が分かりません（列名にもファイル名にも年がありません）。--year で指定してください"))
        }
        var parsed = ParsedDataset(kind: .population, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate ?? "\(year)"
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let raw = r.text(cCode)
            let code = FieldText.municipalityCode(raw)
            if code == nil { r.fail(cCode, "市区町村コードは 5 桁または 6 桁の数字です（値: \(FieldText.excerpt(raw))）") }
            if let code, let first = seen[code] { r.fail(cCode, "市区町村コード \(code) が重複しています（最初は \(first) 行目）") }
            let total = r.count(cTotal, required: true)
            let a65 = r.count(c65, required: false), a75 = r.count(c75, required: false), a6574 = r.count(c6574, required: false)
            if let total, let a65, a65 > total { r.fail(c65, "65 歳以上人口 \(a65) が総人口 \(total) を超えています") }
            if let a65, let a75, a75 > a65 { r.fail(c75, "75 歳以上人口 \(a75) が 65 歳以上人口 \(a65) を超えています") }
            guard errors.accept(r, into: &parsed), let code, let total else { continue }
            seen[code] = row.line
            parsed.population.append(PopulationRecord(
                line: row.line, code: code, name: r.optional(cName), year: year, total: total,
                age65Plus: a65, age75Plus: a75, age65To74: a6574 ?? (a65 != nil && a75 != nil ? a65! - a75! : nil)))
        }
        try errors.check()
        parsed.sourceKey = "population:\(year):\(FieldText.prefectureSet(parsed.population.map(\.code)))"
        return parsed
    }
}
