import KakehashiHours
import KakehashiModel

/// 医療情報ネット open data: the facility file (`ID`, `正式名称`, `所在地`, `所在地座標（緯度）`, …)
/// together with the speciality-hours file (`ID`, `診療科目コード`, `診療科目名`, `診療時間帯`,
/// `{月…日,祝}_診療開始時間` / `_診療終了時間`).
///
/// Coordinates of 0,0 mean unknown: the row is kept, flagged, and never placed. The hours are
/// outpatient hours and are stored as such: they never imply night visits.
public enum IryoImporter {
    public static func parse(facilities: SourceFile, hours: SourceFile?, options: ImportOptions) throws -> [ParsedDataset] {
        let (text, _) = try facilities.text()
        let table = try CSVTable(text: text, file: facilities.name)
        let cols = try table.require([
            ("ID", ["ID"]), ("正式名称", ["正式名称"]), ("所在地", ["所在地"]),
            ("所在地座標（緯度）", ["所在地座標（緯度）"]), ("所在地座標（経度）", ["所在地座標（経度）"]),
        ])
        try table.requireRectangular()
        let cKana = table.column(["正式名称（フリガナ）"]), cPhone = table.column(["電話番号", "案内用電話番号"])
        let cFax = table.column(["FAX番号", "ＦＡＸ番号"]), cURL = table.column(["案内用ホームページアドレス", "ホームページアドレス"])
        let cEmail = table.column(["案内用電子メールアドレス", "電子メールアドレス"]), cClass = table.column(["機関区分"])
        let cPref = table.column(["都道府県コード"]), cCity = table.column(["市区町村コード"])
        let yearEndColumns = table.header.indices.filter { table.header[$0].contains("年末年始") }

        var parsed = ParsedDataset(kind: .iryo, file: facilities, sourceKey: "")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        var yearEnd: [String: Bool] = [:]
        var prefectures = Set<String>(), classes = Set<String>()
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let id = FieldText.halfWidth(r.required(cols[0]) ?? "")
            if let first = seen[id] { r.fail(cols[0], "ID \(id) が重複しています（最初は \(first) 行目）") }
            let name = r.required(cols[1])
            let (point, _) = r.location(lat: cols[3], lon: cols[4], zeroMeansUnknown: true)
            var municipality: String?
            let cityText = FieldText.halfWidth(r.text(cCity)), prefText = FieldText.halfWidth(r.text(cPref))
            if cityText.count == 3, prefText.count == 2 {
                municipality = FieldText.municipalityCode(prefText + cityText)
            } else if !cityText.isEmpty {
                municipality = FieldText.municipalityCode(cityText)
                if municipality == nil { r.fail(cCity, "市区町村コードが不正です（値: \(FieldText.excerpt(cityText))）") }
            }
            guard errors.accept(r, into: &parsed), let name else { continue }
            seen[id] = row.line

            let classText = r.text(cClass)
            let kind: ProviderKind = switch classText {
            case "1", "病院": .hospital
            case "3", "歯科診療所": .dentalClinic
            case "5", "薬局": .pharmacy
            default: .clinic
            }
            classes.insert(kind.rawValue)
            var p = ProviderRecord(line: row.line, source: "iryo", officialID: id, kind: kind, name: name)
            p.kana = r.optional(cKana)
            p.address = r.optional(cols[2])
            p.municipalityCode = municipality
            p.location = point
            p.phone = r.optional(cPhone)
            p.fax = r.optional(cFax)
            p.url = r.optional(cURL)
            p.email = r.optional(cEmail)
            p.preferredContact = p.phone != nil ? .phone : (p.fax != nil ? .fax : nil)
            yearEnd[id] = yearEndColumns.contains { ["1", "○", "有", "あり", "true", "TRUE"].contains(r.text($0)) }
            if point == nil && r.coordinateIssues.isEmpty {
                parsed.warnings.append(ImportIssue(file: facilities.name, line: row.line, column: "所在地座標（緯度）",
                                                   "座標が 0,0 または空のため位置不明として取り込みました"))
            }
            if let municipality { prefectures.insert(String(municipality.prefix(2))) }
            parsed.providers.append(p)
        }
        try errors.check()
        parsed.sourceKey = "iryo:\(classes.sorted().joined(separator: "+")):\(prefectures.sorted().joined(separator: ","))"
        guard let hours else { return [parsed] }

        let hoursSet = try readHours(hours, into: &parsed, facilities: seen, closedYearEnd: yearEnd, options: options)
        return [parsed, hoursSet]
    }

    /// The hours file: rows per (ID, 診療科目コード, 診療時間帯), converted to `opening_hours` and
    /// attached to the facilities as outpatient hours (the facility's dataset slot 1).
    private static func readHours(_ hours: SourceFile, into parsed: inout ParsedDataset, facilities seen: [String: Int],
                                  closedYearEnd yearEnd: [String: Bool], options: ImportOptions) throws -> ParsedDataset {
        let (hoursText, _) = try hours.text()
        let hoursTable = try CSVTable(text: hoursText, file: hours.name)
        let dayNames = MedicalInformationNetHours.dayColumns + [MedicalInformationNetHours.holidayColumn]
        let hcols = try hoursTable.require(
            [("ID", ["ID"]), ("診療科目コード", ["診療科目コード"])]
                + dayNames.flatMap { d in [("\(d)_診療開始時間", ["\(d)_診療開始時間"]), ("\(d)_診療終了時間", ["\(d)_診療終了時間"])] })
        try hoursTable.requireRectangular()
        let cSpecialityName = hoursTable.column(["診療科目名"])
        var hoursSet = ParsedDataset(kind: .iryo, file: hours, sourceKey: parsed.sourceKey + "/hours")
        hoursSet.referenceDate = options.referenceDate
        var hourErrors = RowErrors(options)
        var slots: [String: [(label: String?, slot: MedicalInformationNetHours.Slot, line: Int)]] = [:]
        var order: [String] = []
        for row in hoursTable.rows {
            hoursSet.rowsRead += 1
            var r = RowReader(table: hoursTable, row: row)
            let id = FieldText.halfWidth(r.required(hcols[0]) ?? "")
            let speciality = r.text(hcols[1])
            if !id.isEmpty, seen[id] == nil { r.fail(hcols[0], "施設ファイルにない ID \(id) です") }
            var start: [String: String] = [:], end: [String: String] = [:]
            for (i, d) in dayNames.enumerated() {
                start[d] = r.text(hcols[2 + 2 * i]); end[d] = r.text(hcols[3 + 2 * i])
            }
            guard hourErrors.accept(r, into: &hoursSet) else { continue }
            let key = "\(id)\u{1F}\(speciality)"
            if slots[key] == nil { order.append(key) }
            slots[key, default: []].append((r.optional(cSpecialityName), .init(start: start, end: end), row.line))
        }
        try hourErrors.check()
        let index = Dictionary(uniqueKeysWithValues: parsed.providers.enumerated().map { ($0.element.officialID, $0.offset) })
        for key in order {
            let id = String(key.split(separator: "\u{1F}", omittingEmptySubsequences: false)[0])
            guard let i = index[id], let rows = slots[key] else { continue }
            let converted = MedicalInformationNetHours.convert(rows.map(\.slot), closedYearEnd: yearEnd[id] ?? false)
            if let bad = converted.unconverted {
                hoursSet.warnings.append(ImportIssue(file: hours.name, line: rows[0].line, "読めない時刻を注記として残しました: \(bad)"))
            }
            parsed.providers[i].hours.append(HoursRecord(
                service: nil, scope: .outpatient, label: rows[0].label, openingHours: converted.openingHours,
                sourceText: converted.unconverted, datasetSlot: 1))
        }
        return hoursSet
    }
}
