import Foundation
import KakehashiGeo

/// The town-level (町字) gazetteer, in the two layouts of Geolonia's japanese-addresses:
/// the CSV (`pref,city,city_code,town,koaza,lat,lng`) and the API JSON (`api/ja/{都道府県}/{市区町村}.json`,
/// `[{town, koaza, lat, lng}]`), where the folder names the prefecture and the file the city.
public enum TownsImporter {
    /// Finds the municipality codes for a city name (optionally within a prefecture): `(code, prefecture)`.
    public typealias CityLookup = @Sendable (_ prefecture: String?, _ city: String) throws -> [(code: String, prefecture: String)]

    public static func parse(_ file: SourceFile, options: ImportOptions, lookup: CityLookup) throws -> ParsedDataset {
        let (text, _) = try file.text()
        if text.drop(while: { $0.isWhitespace }).first == "[" {
            return try parseAPI(file, text: text, options: options, lookup: lookup)
        }
        let table = try CSVTable(text: text, file: file.name)
        let cols = try table.require([
            ("pref", ["pref", "都道府県名"]), ("city", ["city", "市区町村名"]), ("city_code", ["city_code", "市区町村コード"]),
            ("town", ["town", "大字町丁目名", "町字"]), ("lat", ["lat", "緯度"]), ("lng", ["lng", "lon", "経度"]),
        ])
        try table.requireRectangular()
        let cKoaza = table.column(["koaza", "小字"])
        var parsed = ParsedDataset(kind: .towns, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let pref = r.required(cols[0]), city = r.required(cols[1]), town = r.required(cols[3])
            let code = r.municipalityCode(cols[2])
            // Some 町字 have no representative point in the source: kept for address matching, never placed.
            let (point, _) = r.location(lat: cols[4], lon: cols[5], zeroMeansUnknown: false)
            let koaza = r.text(cKoaza)
            let key = "\(code ?? "")/\(town ?? "")/\(koaza)"
            if let first = seen[key] { r.fail(cols[3], "町字「\(town ?? "")\(koaza)」が重複しています（最初は \(first) 行目）") }
            guard errors.accept(r, into: &parsed), let pref, let city, let town, let code else { continue }
            seen[key] = row.line
            if point == nil && r.coordinateIssues.isEmpty {
                parsed.warnings.append(ImportIssue(file: file.name, line: row.line, column: table.header[cols[4]], "座標がない町字です（位置なしで取り込みました）"))
            }
            parsed.towns.append(TownRecord(line: row.line, municipalityCode: code, prefecture: pref, city: city, town: town, koaza: koaza, point: point))
        }
        try errors.check()
        parsed.sourceKey = "towns:\(FieldText.prefectureSet(parsed.towns.map(\.municipalityCode)))"
        return parsed
    }

    static func parseAPI(_ file: SourceFile, text: String, options: ImportOptions, lookup: CityLookup) throws -> ParsedDataset {
        let city = ((file.name as NSString).deletingPathExtension as NSString).lastPathComponent
        let folder = ((file.path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        let prefecture = options.prefecture ?? (["都", "道", "府", "県"].contains(folder.suffix(1)) ? folder : nil)
        let matches = try lookup(prefecture, city)
        guard matches.count == 1, let match = matches.first else {
            let why = matches.isEmpty
                ? "市区町村「\(city)」が読み込み済みの行政区域にありません。先に boundaries を取り込んでください"
                : "市区町村「\(city)」が複数の都道府県にあります。--prefecture で指定してください"
            throw ImportFailure(ImportIssue(file: file.name, why))
        }
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: Data(text.utf8)) } catch {
            throw ImportFailure(ImportIssue(file: file.name, "JSON として読めません（途中で切れているか、壊れています）"))
        }
        guard let list = root as? [Any] else {
            throw ImportFailure(ImportIssue(file: file.name, "町字の配列 [{town, koaza, lat, lng}] ではありません"))
        }
        var parsed = ParsedDataset(kind: .towns, file: file, sourceKey: "towns:\(match.code)")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        for (i, item) in list.enumerated() {
            parsed.rowsRead += 1
            let n = i + 1
            var issues: [ImportIssue] = []
            let o = item as? [String: Any] ?? [:]
            let town = (o["town"] as? String)?.trimmingSpaces ?? ""
            let koaza = (o["koaza"] as? String)?.trimmingSpaces ?? ""
            if town.isEmpty { issues.append(ImportIssue(file: file.name, item: n, column: "town", "値が空です（必須）")) }
            let lat = (o["lat"] as? NSNumber)?.doubleValue, lng = (o["lng"] as? NSNumber)?.doubleValue
            var point: GeoPoint?
            if let lat, let lng, JapanExtent.contains(GeoPoint(lon: lng, lat: lat)) {
                point = GeoPoint(lon: lng, lat: lat)
            } else {
                issues.append(ImportIssue(file: file.name, item: n, column: "lat", "座標が数値でないか、日本の範囲外です"))
            }
            let key = "\(town)/\(koaza)"
            if let first = seen[key] { issues.append(ImportIssue(file: file.name, item: n, column: "town", "町字「\(town)\(koaza)」が重複しています（最初は \(first) 件目）")) }
            guard errors.accept(issues, into: &parsed), let point else { continue }
            seen[key] = n
            parsed.towns.append(TownRecord(line: n, municipalityCode: match.code, prefecture: match.prefecture, city: city, town: town, koaza: koaza, point: point))
        }
        try errors.check()
        return parsed
    }
}
