import Foundation
import KakehashiModel

/// Population per municipality by age band: `code,pref,name,pop_total_2025,elderly_65_2025,
/// elderly_75_2025,elderly_65_74_2025` (the reference year read from the column names), or the same
/// with Japanese headings (市区町村コード, 総人口, 65歳以上, 75歳以上) and `--year`.
public enum PopulationImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        if table.header.contains("is_projection") && table.header.contains("year") { return try projection(table, file: file, options: options) }
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
            let code = r.municipalityCode(cCode)
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

    /// 社人研「日本の地域別将来推計人口」in long form, a row per area and year:
    /// `code,kind,kind_label,pref_name,muni_name,year,is_projection,pop_total,pop_0_14,pop_15_64,pop_65plus,pop_75plus,…`.
    /// `kind` says what the row is the population of (`a` a prefecture, `1` a 政令市 as the sum of
    /// its wards, `0` a ward, `2` a city, `3` a town or village); `is_projection` 0 marks the census
    /// base year, 1 a projected one. An empty band is "no data" (75+ outside the 23 wards).
    static func projection(_ table: CSVTable, file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let columns = try table.require([
            ("code", ["code"]), ("kind", ["kind"]), ("year", ["year"]), ("is_projection", ["is_projection"]), ("pop_total", ["pop_total"]),
        ])
        try table.requireRectangular()
        let (cCode, cKind, cYear, cProjected, cTotal) = (columns[0], columns[1], columns[2], columns[3], columns[4])
        let c014 = table.column(["pop_0_14"]), c1564 = table.column(["pop_15_64"])
        let c65 = table.column(["pop_65plus"]), c75 = table.column(["pop_75plus"])
        let cName = table.column(["muni_name"]), cPrefecture = table.column(["pref_name"])
        var parsed = ParsedDataset(kind: .population, file: file, sourceKey: "")
        parsed.credit = options.credit ?? "国立社会保障・人口問題研究所『日本の地域別将来推計人口』を加工して作成"
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let code = r.municipalityCode(cCode, label: "地域コード")
            let area: PopulationArea? = switch r.text(cKind) {
            case "a": .prefecture
            case "1": .designatedCity
            case "0", "2", "3", "9": .municipality  // 9: an area projected as one (福島県 浜通り地域)
            default: nil
            }
            if area == nil { r.fail(cKind, "kind は a（都道府県）、1（政令市）、0（区）、2（市）、3（町村）、9（一括推計の地域）のいずれかです（値: \(FieldText.excerpt(r.text(cKind)))）") }
            let year = r.count(cYear, required: true)
            if let y = year, !(1900...2100).contains(y) { r.fail(cYear, "年は 1900～2100 です（値: \(y)）") }
            let kind: PopulationKind? = switch r.text(cProjected) {
            case "0": .census
            case "1": .projection
            default: nil
            }
            if kind == nil { r.fail(cProjected, "is_projection は 0（国勢調査の基準年）か 1（推計）です（値: \(FieldText.excerpt(r.text(cProjected)))）") }
            if let code, let year, let first = seen["\(code)/\(year)"] {
                r.fail(cCode, "地域コード \(code) の \(year) 年が重複しています（最初は \(first) 行目）")
            }
            let total = r.count(cTotal, required: true)
            let a014 = r.count(c014, required: false), a1564 = r.count(c1564, required: false)
            let a65 = r.count(c65, required: false), a75 = r.count(c75, required: false)
            if let total, let a65, a65 > total { r.fail(c65, "65 歳以上人口 \(a65) が総人口 \(total) を超えています") }
            if let a65, let a75, a75 > a65 { r.fail(c75, "75 歳以上人口 \(a75) が 65 歳以上人口 \(a65) を超えています") }
            guard errors.accept(r, into: &parsed), let code, let year, let total, let area, let kind else { continue }
            seen["\(code)/\(year)"] = row.line
            var record = PopulationRecord(line: row.line, code: code, name: r.optional(cName) ?? r.optional(cPrefecture), year: year, total: total,
                                          age65Plus: a65, age75Plus: a75, age65To74: a65 != nil && a75 != nil ? a65! - a75! : nil)
            (record.kind, record.area, record.age0To14, record.age15To64) = (kind, area, a014, a1564)
            parsed.population.append(record)
        }
        try errors.check()
        let years = parsed.population.map(\.year)
        parsed.referenceDate = options.referenceDate ?? years.min().map { "\($0)" }
        // A newer 推計 of the same prefectures replaces this one, census base year included.
        parsed.sourceKey = "population:projection:\(FieldText.prefectureSet(parsed.population.map(\.code)))"
        return parsed
    }
}
