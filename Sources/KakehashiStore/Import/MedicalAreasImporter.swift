import Foundation
import KakehashiModel

/// Each municipality's 二次医療圏, from 国土数値情報「医療圏データ」(A38, attribute A38b_001) brought
/// into a table: `muni_code,muni_name,area_code,area_name,pref_code,pref_name`, or the Japanese
/// headings 市区町村コード, 二次医療圏コード, 二次医療圏名, 都道府県コード. One row per municipality
/// (政令市 by ward, as the boundaries have them). Optional `concept_code`, `concept_name` (構想区域コード,
/// 構想区域名) give the 地域医療構想区域 where it differs from the 二次医療圏; left empty, the two coincide.
public enum MedicalAreasImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        let columns = try table.require([
            ("muni_code", ["muni_code", "市区町村コード", "行政区域コード"]), ("area_code", ["area_code", "二次医療圏コード", "A38b_001"]),
            ("area_name", ["area_name", "二次医療圏名", "二次医療圏"]),
        ])
        try table.requireRectangular()
        let (cMunicipality, cCode, cName) = (columns[0], columns[1], columns[2])
        let cPrefecture = table.column(["pref_code", "都道府県コード"])
        let cConceptCode = table.column(["concept_code", "構想区域コード"]), cConceptName = table.column(["concept_name", "構想区域名", "構想区域"])
        var parsed = ParsedDataset(kind: .medicalAreas, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let municipality = r.municipalityCode(cMunicipality)
            if let municipality, let first = seen[municipality] {
                r.fail(cMunicipality, "市区町村コード \(municipality) が重複しています（最初は \(first) 行目）。市区町村は一つの二次医療圏に属します")
            }
            let code = FieldText.halfWidth(r.text(cCode))
            if code.isEmpty || !code.allSatisfy(\.isASCII) || !code.allSatisfy(\.isNumber) {
                r.fail(cCode, "二次医療圏コードは数字です（値: \(FieldText.excerpt(r.text(cCode)))）")
            }
            let name = r.text(cName)
            if name.isEmpty { r.fail(cName, "二次医療圏名が空です") }
            let prefecture = cPrefecture.map { FieldText.halfWidth(r.text($0)) } ?? String(municipality?.prefix(2) ?? "")
            if let municipality, !prefecture.isEmpty, !municipality.hasPrefix(prefecture.count == 1 ? "0" + prefecture : prefecture) {
                r.fail(cPrefecture, "都道府県コード \(prefecture) が市区町村コード \(municipality) と合いません")
            }
            let conceptCode = cConceptCode.map { FieldText.halfWidth(r.text($0)) } ?? ""
            let conceptName = cConceptName.map { r.text($0) } ?? ""
            if !conceptCode.isEmpty, !conceptCode.allSatisfy({ $0.isASCII && $0.isNumber }) {
                r.fail(cConceptCode, "構想区域コードは数字です（値: \(FieldText.excerpt(conceptCode))）")
            }
            if conceptCode.isEmpty != conceptName.isEmpty {
                r.fail(conceptCode.isEmpty ? cConceptCode : cConceptName, "構想区域はコードと名前の両方を書きます（同じなら両方とも空）")
            }
            guard errors.accept(r, into: &parsed), let municipality else { continue }
            seen[municipality] = row.line
            parsed.planningAreas.append(PlanningAreaRecord(line: row.line, kind: .secondaryMedicalArea, areaCode: code, areaName: name,
                                                           prefectureCode: String(municipality.prefix(2)), municipalityCode: municipality))
            if !conceptCode.isEmpty {
                parsed.planningAreas.append(PlanningAreaRecord(line: row.line, kind: .conceptArea, areaCode: conceptCode, areaName: conceptName,
                                                               prefectureCode: String(municipality.prefix(2)), municipalityCode: municipality))
            }
        }
        try errors.check()
        parsed.sourceKey = "medical-areas:\(FieldText.prefectureSet(parsed.planningAreas.map(\.municipalityCode)))"
        return parsed
    }
}
