import Foundation
import KakehashiGeo

/// 国土数値情報 行政区域 (N03) in GeoJSON or TopoJSON. Features are grouped by N03_007 (a
/// municipality may span islands and enclaves); 所属未定地 (no code) is skipped; invalid rings are
/// repaired when written and the repair is reported.
public enum BoundariesImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let features: [Feature]
        do {
            let head = String(decoding: file.data.prefix(4096), as: UTF8.self)
            let isTopo = head.range(of: #""type"\s*:\s*"Topology""#, options: .regularExpression) != nil
            features = isTopo ? try TopoJSONReader.features(from: file.data) : try GeoJSONReader.features(from: file.data)
        } catch let e as GeoDecodingError {
            throw ImportFailure(ImportIssue(file: file.name, feature: e.feature, e.message))
        }
        var parsed = ParsedDataset(kind: .boundaries, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate ?? referenceDate(in: file.name)
        var errors = RowErrors(options)
        var groups: [String: MunicipalityRecord] = [:]
        var order: [String] = []
        for f in features {
            parsed.rowsRead += 1
            var issues: [ImportIssue] = []
            func fail(_ column: String?, _ message: String) {
                issues.append(ImportIssue(file: file.name, feature: f.index, column: column, message))
            }
            let code = f.properties["N03_007"]?.text
            guard let code, !code.isEmpty else {
                let name = f.properties["N03_004"]?.text ?? ""
                parsed.rejected.append(ImportIssue(file: file.name, feature: f.index, column: "N03_007",
                                                   "市区町村コードがない地物（\(name.isEmpty ? "所属未定地" : name)）を読み飛ばしました"))
                continue
            }
            if code.count != 5 || !code.allSatisfy({ $0.isASCII && $0.isNumber }) { fail("N03_007", "5 桁の市区町村コードではありません（値: \(code)）") }
            let prefecture = f.properties["N03_001"]?.text ?? ""
            if prefecture.isEmpty { fail("N03_001", "都道府県名が空です") }
            guard let polygons = f.geometry?.polygons else {
                fail("geometry", "Polygon / MultiPolygon ではありません")
                _ = errors.accept(issues, into: &parsed)
                continue
            }
            if let outside = f.geometry?.allPoints.first(where: { !JapanExtent.contains($0) }) {
                fail("geometry", "座標 (\(outside.lon), \(outside.lat)) が日本の範囲外です")
            }
            guard errors.accept(issues, into: &parsed) else { continue }
            if f.closedRings > 0 {
                parsed.warnings.append(.closedRings(f.closedRings, file: file.name, feature: f.index))
            }
            let county = f.properties["N03_003"]?.text.flatMap { $0.isEmpty ? nil : $0 }
            let local = f.properties["N03_004"]?.text ?? ""
            // N03_003 holds a 郡 or a 政令市; a ward's display name is the city and the ward together.
            let designatedCity = county.flatMap { $0.hasSuffix("市") ? $0 : nil }
            let name = (designatedCity ?? "") + local
            if var g = groups[code] {
                g.parts.append(contentsOf: polygons)
                groups[code] = g
            } else {
                order.append(code)
                groups[code] = MunicipalityRecord(
                    feature: f.index, code: code, prefecture: prefecture,
                    county: designatedCity == nil ? county : nil, city: designatedCity ?? local,
                    ward: designatedCity == nil ? nil : local, name: name.isEmpty ? code : name, parts: polygons)
            }
        }
        try errors.check()
        parsed.municipalities = order.compactMap { groups[$0] }
        parsed.sourceKey = "boundaries:\(FieldText.prefectureSet(order))"
        return parsed
    }

    /// N03 file names carry the reference date: N03-21_11_210101 → 2021-01-01.
    static func referenceDate(in name: String) -> String? {
        guard let r = name.range(of: #"_(\d{2})(\d{2})(\d{2})(_|\.)"#, options: .regularExpression) else { return nil }
        let d = name[r].filter(\.isNumber)
        let yy = Int(d.prefix(2))!
        return "\(yy < 50 ? 2000 + yy : 1900 + yy)-\(d.dropFirst(2).prefix(2))-\(d.suffix(2))"
    }
}
