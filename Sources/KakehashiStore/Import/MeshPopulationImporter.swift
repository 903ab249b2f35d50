import Foundation
import KakehashiGeo

/// Population per JIS X 0410 mesh cell. Reads the simple layout
/// (`mesh250m_code,pop_total,pop_male,pop_female,households[,pop_65plus,pop_75plus]`) and e-Stat's
/// 地域メッシュ統計 layout (`KEY_CODE,…,T…` with a second heading row of Japanese labels).
/// Each code becomes its cell polygon.
public enum MeshPopulationImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        // e-Stat files carry Japanese labels in the first data row; use them as headings.
        var labels = table.header
        var rows = table.rows
        if let first = rows.first, table.header.first == "KEY_CODE", MeshCode(first.fields.first ?? "") == nil {
            labels = first.fields.map { FieldText.halfWidth($0).replacingOccurrences(of: "　", with: "").replacingOccurrences(of: " ", with: "") }
            rows.removeFirst()
        }
        func find(_ test: (String) -> Bool) -> Int? { labels.firstIndex(where: test) }
        let cMesh = table.header.firstIndex { $0 == "KEY_CODE" || $0 == "mesh_code" || ($0.hasPrefix("mesh") && $0.hasSuffix("code")) || $0 == "メッシュコード" }
        let cTotal = find { $0 == "pop_total" || $0 == "人口（総数）" || $0 == "人口総数" || ($0.hasPrefix("人口") && $0.contains("総数") && !$0.contains("歳")) }
        guard let cMesh, let cTotal else {
            _ = try table.require([("メッシュコード (mesh…_code / KEY_CODE)", ["KEY_CODE", "mesh_code", "メッシュコード"]), ("pop_total", ["pop_total", "人口（総数）"])])
            throw ImportFailure([])
        }
        try table.requireRectangular()
        let cMale = find { $0 == "pop_male" || $0 == "男性人口" || $0 == "人口（男）" || $0 == "男" }
        let cFemale = find { $0 == "pop_female" || $0 == "女性人口" || $0 == "人口（女）" || $0 == "女" }
        let cHouseholds = find { $0 == "households" || $0 == "世帯総数" || $0 == "世帯数" }
        let c65 = find { $0 == "pop_65plus" || ($0.contains("65歳以上") && !$0.contains("男") && !$0.contains("女")) }
        let c75 = find { $0 == "pop_75plus" || ($0.contains("75歳以上") && !$0.contains("男") && !$0.contains("女")) }
        guard let year = options.year ?? yearIn(file.name) else {
            throw ImportFailure(ImportIssue(file: file.name, line: 1, "基準年が分かりません（ファイル名に年がありません）。--year で指定してください"))
        }

        var parsed = ParsedDataset(kind: .meshPopulation, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate ?? "\(year)"
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for row in rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let raw = FieldText.halfWidth(r.text(cMesh))
            let mesh = MeshCode(raw)
            if mesh == nil { r.fail(cMesh, "JIS X 0410 のメッシュコードではありません（値: \(FieldText.excerpt(raw))）") }
            if let mesh, let first = seen[mesh.code] { r.fail(cMesh, "メッシュコード \(mesh.code) が重複しています（最初は \(first) 行目）") }
            if let mesh, !JapanExtent.contains(mesh.bounds.center) { r.fail(cMesh, "メッシュ \(mesh.code) は日本の範囲外です") }
            // e-Stat writes "*" for cells kept secret; they are counted as unknown, not zero.
            let secret = r.text(cTotal) == "*"
            let total = secret ? nil : r.count(cTotal, required: true)
            let values = [cMale, cFemale, cHouseholds, c65, c75].map { c in r.text(c) == "*" ? nil : r.count(c, required: false) }
            guard errors.accept(r, into: &parsed), let mesh else { continue }
            seen[mesh.code] = row.line
            guard let total else {
                parsed.rejected.append(ImportIssue(file: file.name, line: row.line, column: labels[cTotal], "秘匿値（*）のため読み飛ばしました"))
                continue
            }
            parsed.meshPopulation.append(MeshPopulationRecord(
                line: row.line, mesh: mesh, year: year, total: total, male: values[0], female: values[1],
                households: values[2], age65Plus: values[3], age75Plus: values[4]))
        }
        try errors.check()
        let firstLevels = Set(parsed.meshPopulation.map(\.mesh.firstLevel)).sorted().joined(separator: ",")
        parsed.sourceKey = "mesh-population:\(year):\(firstLevels)"
        return parsed
    }
}
