import KakehashiHours
import KakehashiModel

/// 医療情報ネット open data: the facility file (`ID`, `正式名称`, `所在地`, `所在地座標（緯度）`, …)
/// together with the speciality-hours file (`ID`, `診療科目コード`, `診療科目名`, `診療時間帯`,
/// `{月…日,祝}_診療開始時間` / `_診療終了時間`); or the pharmacy file (`05`: `名称`, its hours in its own
/// columns `{曜}_開店時間帯{1-4}_{開始,終了}時間`). Each facility's calendar columns (weekly and monthly
/// closures, holidays, その他の休診日) are read with every flag as 1 = open, 0 = closed.
///
/// Coordinates of 0,0 mean unknown: the row is kept, flagged, and never placed. The hours are
/// outpatient hours and are stored as such: they never imply night visits.
public enum IryoImporter {
    public static func parse(facilities: SourceFile, hours: SourceFile?, options: ImportOptions) throws -> [ParsedDataset] {
        // The text is let go once cut into rows.
        let table = try CSVTable(text: facilities.text().0, file: facilities.name)
        let cols = try table.require([
            ("ID", ["ID"]), ("正式名称", ["正式名称", "名称"]), ("所在地", ["所在地"]),
            ("所在地座標（緯度）", ["所在地座標（緯度）"]), ("所在地座標（経度）", ["所在地座標（経度）"]),
        ])
        try table.requireRectangular()
        let cKana = table.column(["正式名称（フリガナ）", "フリガナ"]), cPhone = table.column(["電話番号", "案内用電話番号"])
        let cFax = table.column(["FAX番号", "ＦＡＸ番号"]), cURL = table.column(["案内用ホームページアドレス", "ホームページアドレス", "薬局のホームページアドレス"])
        let cEmail = table.column(["案内用電子メールアドレス", "電子メールアドレス"]), cClass = table.column(["機関区分"])
        let cPref = table.column(["都道府県コード"]), cCity = table.column(["市区町村コード"])
        let yearEndColumns = table.header.indices.filter { table.header[$0].contains("年末年始") }

        var parsed = ParsedDataset(kind: .iryo, file: facilities, sourceKey: "")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options, keepsMisplaced: true)
        var seen: [String: Int] = [:]
        var yearEnd: [String: Bool] = [:], calendars: [String: MedicalInformationNetHours.Calendar] = [:]
        let calendarColumns = FacilityCalendarColumns(table)
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
            let kind = Self.kind(機関区分: FieldText.halfWidth(r.text(cClass)), fileName: facilities.name)
            if kind == nil {
                r.fail(cClass, "機関区分が不明です（値: \(FieldText.excerpt(r.text(cClass)))）。1 病院・2 診療所・3 歯科診療所・4 助産所・5 薬局 のいずれかです")
            }
            guard errors.accept(r, into: &parsed), let name, let kind else { continue }
            seen[id] = row.line

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
            calendars[id] = calendarColumns.calendar(r)
            if let own = calendarColumns.ownHours(r, calendar: calendars[id]!) {
                // A pharmacy file: the hours are in the facility's own row.
                if let bad = own.unconverted {
                    parsed.warnings.append(ImportIssue(file: facilities.name, line: row.line, "読めない時刻・休業日を注記として残しました: \(FieldText.excerpt(bad))"))
                }
                p.hours = own.openingHours.map { [HoursRecord(service: nil, scope: .outpatient, label: "開店時間", openingHours: $0, sourceText: own.unconverted)] } ?? []
            }
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

        let hoursSet = try readHours(hours, into: &parsed, facilities: seen, closedYearEnd: yearEnd, calendars: calendars, options: options)
        return [parsed, hoursSet]
    }

    /// The hours file: rows per (ID, 診療科目コード, 診療時間帯), converted to `opening_hours` and
    /// attached to the facilities as outpatient hours (the facility's dataset slot 1).
    private static func readHours(_ hours: SourceFile, into parsed: inout ParsedDataset, facilities seen: [String: Int],
                                  closedYearEnd yearEnd: [String: Bool], calendars: [String: MedicalInformationNetHours.Calendar],
                                  options: ImportOptions) throws -> ParsedDataset {
        let hoursTable = try CSVTable(text: hours.text().0, file: hours.name)
        let dayNames = MedicalInformationNetHours.dayColumns + [MedicalInformationNetHours.holidayColumn]
        let hcols = try hoursTable.require(
            [("ID", ["ID"]), ("診療科目コード", ["診療科目コード"])]
                + dayNames.flatMap { d in [("\(d)_診療開始時間", ["\(d)_診療開始時間"]), ("\(d)_診療終了時間", ["\(d)_診療終了時間"])] })
        try hoursTable.requireRectangular()
        let cSpecialityName = hoursTable.column(["診療科目名"])
        var hoursSet = ParsedDataset(kind: .iryo, file: hours, sourceKey: parsed.sourceKey + "/hours")
        hoursSet.referenceDate = options.referenceDate
        var hourErrors = RowErrors(options)
        // Rows are kept as the table holds them and read into slots one key at a time: the national
        // file has half a million rows, and a slot's two dictionaries held for each would take 0.5 GB.
        var slots: [String: [(label: String?, row: CSVTable.Row)]] = [:]
        func slot(_ row: CSVTable.Row) -> MedicalInformationNetHours.Slot {
            let r = RowReader(table: hoursTable, row: row)
            var start: [String: String] = [:], end: [String: String] = [:]
            for (i, d) in dayNames.enumerated() {
                start[d] = r.text(hcols[2 + 2 * i]); end[d] = r.text(hcols[3 + 2 * i])
            }
            return .init(start: start, end: end)
        }
        var order: [String] = [], missing = Set<String>()
        for row in hoursTable.rows {
            hoursSet.rowsRead += 1
            var r = RowReader(table: hoursTable, row: row)
            let id = FieldText.halfWidth(r.required(hcols[0]) ?? "")
            let speciality = r.text(hcols[1])
            // 救急科 hours are emergency reception, not outpatient hours.
            if FieldText.halfWidth(speciality) == emergencySpeciality { continue }
            if !id.isEmpty, seen[id] == nil {
                // The two files are extracted separately: an ID missing from the facility file is said once, not refused.
                if missing.insert(id).inserted {
                    hoursSet.warnings.append(r.issue(hcols[0], "施設ファイルにない ID \(id) の診療時間は読み飛ばしました"))
                }
                continue
            }
            guard hourErrors.accept(r, into: &hoursSet) else { continue }
            let key = "\(id)\u{1F}\(speciality)"
            if slots[key] == nil { order.append(key) }
            slots[key, default: []].append((r.optional(cSpecialityName), row))
        }
        try hourErrors.check()
        let index = Dictionary(uniqueKeysWithValues: parsed.providers.enumerated().map { ($0.element.officialID, $0.offset) })
        var closures: [String: MedicalInformationNetHours.DatedClosures] = [:], warned = Set<String>()
        for key in order {
            let id = String(key.split(separator: "\u{1F}", omittingEmptySubsequences: false)[0])
            guard let i = index[id], let rows = slots[key] else { continue }
            let calendar = calendars[id] ?? .init()
            let dated = closures[id] ?? MedicalInformationNetHours.DatedClosures(calendar, closedYearEnd: yearEnd[id] ?? false)
            closures[id] = dated
            let converted = MedicalInformationNetHours.convert(rows.map { slot($0.row) }, calendar: calendar, closures: dated)
            // Each speciality carries its facility's unread closures: the same unread text of one facility is said once.
            if let bad = converted.unconverted, warned.insert("\(id)\u{1F}\(bad)").inserted {
                hoursSet.warnings.append(ImportIssue(file: hours.name, line: rows[0].row.line, "読めない時刻・休診日を注記として残しました: \(FieldText.excerpt(bad))"))
            }
            parsed.providers[i].hours.append(HoursRecord(
                service: nil, scope: .outpatient, label: rows[0].label, openingHours: converted.openingHours,
                sourceText: converted.unconverted, datasetSlot: 1))
        }
        return hoursSet
    }

    /// The kind from 機関区分 (1 病院, 2 診療所, 3 歯科診療所, 4 助産所, 5 薬局, or the words); without
    /// the column, from the published file name's number (01-1 病院 … 05 薬局); nil for a code not known.
    static func kind(機関区分 text: String, fileName: String) -> ProviderKind? {
        switch text {
        case "1", "病院": return .hospital
        case "2", "診療所", "一般診療所": return .clinic
        case "3", "歯科診療所": return .dentalClinic
        case "4", "助産所": return .maternityHome
        case "5", "薬局": return .pharmacy
        case "": break
        default: return nil
        }
        switch fileName.prefix(2) {
        case "01": return .hospital
        case "03": return .dentalClinic
        case "04": return .maternityHome
        case "05": return .pharmacy
        default: return .clinic
        }
    }

    /// 診療科目コード of 救急科.
    static let emergencySpeciality = "09010"
}

/// The calendar columns of a 医療情報ネット facility file, clinic or pharmacy layout, found by name
/// (全角 and 半角 digits alike: pharmacies write `第１週`, clinics `第1週`).
struct FacilityCalendarColumns {
    let weekly: [Int?], monthly: [[Int?]], holiday: Int?, other: Int?
    /// Pharmacy layout: `{曜}_開店時間帯{n}_{開始,終了}時間`, n = 1…4, days 月…日, 祝.
    let slots: [[(start: Int?, end: Int?)]]

    init(_ table: CSVTable) {
        func col(_ names: String...) -> Int? {
            table.column(names.flatMap { [$0, FieldText.halfWidth($0), Self.fullWidth($0)] })
        }
        let days = MedicalInformationNetHours.dayColumns
        weekly = days.map { col("毎週決まった曜日に休診（\($0)）", "営業日（\($0)）") }
        monthly = (1...5).map { n in days.map { col("決まった週に休診（定期週）第\(n)週（\($0)）", "定期閉店第\(n)週（\($0)）") } }
        holiday = col("祝日に休診", "祝日", "営業日（祝）")
        other = col("その他の休診日（gw、お盆等）", "その他の閉店日（gw、お盆等）", "その他の休診日", "その他の閉店日")
        slots = (1...4).map { n in
            (days + [MedicalInformationNetHours.holidayColumn]).map { d in (col("\(d)_開店時間帯\(n)_開始時間"), col("\(d)_開店時間帯\(n)_終了時間")) }
        }
    }

    static func fullWidth(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { u in (0x30...0x39).contains(u.value) ? Unicode.Scalar(u.value + 0xFEE0)! : u }))
    }

    static func flag(_ text: String) -> Bool? {
        switch FieldText.halfWidth(text) { case "1": true; case "0": false; default: nil }
    }

    func calendar(_ r: RowReader) -> MedicalInformationNetHours.Calendar {
        var c = MedicalInformationNetHours.Calendar()
        c.weekdays = weekly.map { $0.flatMap { Self.flag(r.text($0)) } }
        c.weeksOfMonth = monthly.map { week in week.map { $0.flatMap { Self.flag(r.text($0)) } } }
        c.holidays = holiday.flatMap { Self.flag(r.text($0)) }
        c.otherClosures = r.text(other)
        return c
    }

    /// The hours a pharmacy row carries itself; nil for a layout without them.
    func ownHours(_ r: RowReader, calendar: MedicalInformationNetHours.Calendar) -> OpeningHoursConversion? {
        guard slots.contains(where: { $0.contains { $0.start != nil } }) else { return nil }
        let names = MedicalInformationNetHours.dayColumns + [MedicalInformationNetHours.holidayColumn]
        let rows = slots.map { slot in
            MedicalInformationNetHours.Slot(
                start: Dictionary(uniqueKeysWithValues: zip(names, slot.map { r.text($0.start) })),
                end: Dictionary(uniqueKeysWithValues: zip(names, slot.map { r.text($0.end) })))
        }
        return MedicalInformationNetHours.convert(rows, calendar: calendar)
    }
}
