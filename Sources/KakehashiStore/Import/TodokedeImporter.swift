import Foundation
import KakehashiAddress
import KakehashiModel

/// 届出受理医療機関名簿 of the 地方厚生局 (施設基準の届出), as published: an Excel workbook (one sheet, or
/// one per prefecture) or the same table saved as CSV, title lines above a 24-column header, **one
/// row per 届出** with the institution's columns repeated, every cell text, 和暦 dates.
///
/// Each institution becomes one provider keyed by its 10-digit 医療機関コード (prefecture, 点数表 —
/// 医科 1, 歯科 3, 薬局 4 — and the 7-digit 医療機関番号), with every 届出 kept and the capabilities
/// ``TodokedeCodes`` reads from them. The file has no coordinates: the address is geocoded to its
/// 町字's representative point, and recorded as such (`location_level` town).
public enum TodokedeImporter {
    /// Columns by name (other bureaus order and title them alike, but not at the same row).
    static let required: [(label: String, names: [String])] = [
        ("医療機関番号", ["医療機関番号"]), ("医療機関名称", ["医療機関名称", "名称"]), ("区分", ["区分"]),
        ("医療機関所在地（住所）", ["医療機関所在地（住所）", "医療機関所在地", "所在地"]), ("受理記号", ["受理記号"]),
    ]
    /// How far down a sheet the header is sought.
    static let headerSearchRows = 50

    public static func parse(_ file: SourceFile, options: ImportOptions, geocoder: Geocoder?) throws -> ParsedDataset {
        let sheets = try tables(file)
        var parsed = ParsedDataset(kind: .todokede, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate ?? sheets.lazy.compactMap { JapaneseDate.asOf($0.title) }.first
        var errors = RowErrors(options)
        var institutions: [String: Int] = [:]
        var divisions = Set<String>(), prefectures = Set<String>()
        for sheet in sheets {
            var reader = NoticeRows(table: sheet.table)
            for row in sheet.table.rows {
                parsed.rowsRead += 1
                var r = RowReader(table: sheet.table, row: row)
                guard let notice = reader.read(&r, into: &parsed.providers, institutions: &institutions) else {
                    _ = errors.accept(r, into: &parsed)
                    continue
                }
                guard errors.accept(r, into: &parsed) else { continue }
                divisions.insert(notice.division)
                prefectures.insert(notice.prefecture)
            }
        }
        try errors.check()
        for i in parsed.providers.indices {
            finish(&parsed.providers[i], geocoder: geocoder, file: file.name, warnings: &parsed.warnings)
        }
        if geocoder == nil, !parsed.providers.isEmpty {
            parsed.warnings.append(ImportIssue(file: file.name, "町字データ（towns）と行政区域が未読込のため、所在地から位置を求めていません（全件位置不明）"))
        }
        parsed.sourceKey = "todokede:\(divisions.sorted().joined(separator: "+")):\(prefectures.sorted().joined(separator: ","))"
        parsed.credit = options.credit ?? "「\(Bureau.name(forPrefecture: prefectures.sorted().first ?? "")) 届出受理医療機関名簿」を加工して作成"
        return parsed
    }

    /// A sheet's table below its header, and the title lines above it.
    struct Sheet { let table: CSVTable; let title: String }

    /// The tables of the file: every sheet of a workbook with the 名簿 header, or the CSV text.
    static func tables(_ file: SourceFile) throws -> [Sheet] {
        if file.data.starts(with: [0xD0, 0xCF, 0x11, 0xE0]) {
            throw ImportFailure(ImportIssue(file: file.name, "旧形式の Excel ブック（.xls）には対応していません。Excel で .xlsx か CSV（UTF-8）として保存し直してください"))
        }
        var sources: [(name: String, rows: [CSVTable.Row])] = []
        if Workbook.isZip(file.data) {
            for book in try Workbook.books(in: file.data, file: file.name) {
                sources += book.sheets.map { (book.sheets.count > 1 ? "\(book.file)（\($0.name)）" : book.file, $0.rows) }
            }
        } else {
            let (text, _) = try file.text()
            let table = try CSVTable(text: text, file: file.name)
            sources = [(file.name, [CSVTable.Row(line: table.headerLine, fields: table.header)] + table.rows)]
        }
        var sheets: [Sheet] = []
        for (name, rows) in sources {
            guard let at = rows.prefix(headerSearchRows).firstIndex(where: isHeader) else { continue }
            let header = CSVTable.Row(line: rows[at].line, fields: rows[at].fields.map(folded))
            let title = rows[..<at].flatMap(\.fields).filter { !$0.isEmpty }.joined(separator: " ")
            let table = try CSVTable(file: name, header: header, rows: Array(rows[(at + 1)...]))
            _ = try table.require(required)
            sheets.append(Sheet(table: table, title: title))
        }
        guard !sheets.isEmpty else {
            throw ImportFailure(ImportIssue(file: file.name,
                "届出受理医療機関名簿の見出し行が見つかりません（「医療機関番号」と「受理記号」を含む行を、各シートの先頭 \(headerSearchRows) 行で探しました）。別の形式のファイルではありませんか"))
        }
        return sheets
    }

    /// A header cell without the spaces and line breaks some bureaus put inside.
    static func folded(_ cell: String) -> String { cell.filter { !$0.isWhitespace } }

    static func isHeader(_ row: CSVTable.Row) -> Bool {
        let cells = Set(row.fields.map(folded))
        return cells.contains("医療機関番号") && cells.contains("受理記号")
    }

    /// Places the institution and reads its capabilities from its 届出.
    static func finish(_ p: inout ProviderRecord, geocoder: Geocoder?, file: String, warnings: inout [ImportIssue]) {
        var found: [Capability: CapabilityRecord] = [:]
        for n in p.notices {
            guard let meaning = TodokedeCodes.meaning(of: n.code) else { continue }
            for s in meaning.services where !p.services.contains(s) { p.services.append(s) }
            guard let c = meaning.capability else { continue }
            // Two 届出 of one capability (a clinic that changed type): the one in force since later holds.
            if let earlier = found[c], (earlier.since ?? "") >= (n.since ?? "") { continue }
            found[c] = CapabilityRecord(c, detail: meaning.detail, noticeNumber: n.number, since: n.since)
        }
        p.capabilities = Capability.allCases.compactMap { found[$0] }
        if p.kind == .clinic, found[.homeSupportHospital] != nil || found[.backupHospital] != nil { p.kind = .hospital }
        guard let geocoder, let address = p.address else { return }
        let place = try? geocoder.geocode(address)
        if let place, place.pointLevel == "town", let lat = place.lat, let lon = place.lon {
            p.location = .init(lon: lon, lat: lat)
            p.locationLevel = "town"
            if p.municipalityCode == nil { p.municipalityCode = place.cityCode }
        } else {
            if p.municipalityCode == nil { p.municipalityCode = place?.cityCode }
            warnings.append(ImportIssue(file: file, line: p.line, column: "医療機関所在地（住所）",
                                        "\(p.name): 所在地「\(FieldText.excerpt(address))」を町字まで特定できないため、位置不明として取り込みました"))
        }
    }
}

/// Reads the rows of one 名簿 table into institutions and their 届出.
struct NoticeRows {
    let table: CSVTable
    let number: Int, name: Int, division: Int, address: Int, code: Int
    let prefectureCode: Int?, prefectureName: Int?, phone: Int?, fax: Int?, noticeName: Int?, noticeNumber: Int?
    let since: Int?, remarkHeading: Int?, remarkData: Int?, municipality: Int?
    /// The institution whose 届出 the previous row was (a repeated row must follow it directly).
    private var previous: String?

    init(table: CSVTable) {
        self.table = table
        func col(_ names: String...) -> Int? { table.column(names) }
        number = col("医療機関番号")!; name = col("医療機関名称", "名称")!; division = col("区分") ?? -1
        address = col("医療機関所在地（住所）", "医療機関所在地", "所在地") ?? -1; code = col("受理記号")!
        prefectureCode = col("都道府県コード"); prefectureName = col("都道府県名"); phone = col("電話番号")
        fax = col("FAX番号", "ＦＡＸ番号"); noticeName = col("受理届出名称"); noticeNumber = col("受理番号")
        since = col("算定開始年月日"); remarkHeading = col("備考（見出し）"); remarkData = col("備考（データ）")
        municipality = col("市町村コード", "市区町村コード")
    }

    /// What one row added: its institution's division and prefecture; nil for a row that only
    /// continues the previous 届出's remarks, or that has errors (in `r`).
    mutating func read(_ r: inout RowReader, into providers: inout [ProviderRecord], institutions: inout [String: Int]) -> (division: String, prefecture: String)? {
        let numberText = FieldText.halfWidth(r.text(number)), codeText = r.text(code)
        // A heading that repeats its data (東海北陸's 「栄養管理体制…」 rows) is said once.
        let heading = r.text(remarkHeading), data = r.text(remarkData)
        let remarks = (heading == data ? [data] : [heading, data]).filter { !$0.isEmpty }.joined(separator: "：")
        if numberText.isEmpty, codeText.isEmpty {
            // Some bureaus carry 備考 over several rows below the 届出 they belong to.
            if !remarks.isEmpty, let last = providers.indices.last, let n = providers[last].notices.indices.last {
                providers[last].notices[n].remarks = [providers[last].notices[n].remarks, remarks].compactMap { $0 }.joined(separator: "\n")
            }
            return nil
        }
        guard numberText.count == 7, numberText.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            let hint = numberText.count == 10 ? "。10 桁の医療機関コードが入っています: この列は都道府県と点数表を除いた 7 桁です" : ""
            r.fail(number, "医療機関番号は 7 桁の数字です（値: \(FieldText.excerpt(numberText))）\(hint)")
            return nil
        }
        guard let prefecture = prefectureOf(&r) else { return nil }
        let divisionText = r.text(division)
        let table: String
        switch divisionText {
        case "医科": table = "1"
        case "歯科": table = "3"
        case "薬局": table = "4"
        default:
            r.fail(division, "区分は「医科」「歯科」「薬局」のいずれかです（値: \(FieldText.excerpt(divisionText))）")
            return nil
        }
        var sinceDate: String?
        if let since, !r.text(since).isEmpty {
            sinceDate = JapaneseDate.iso(r.text(since))
            if sinceDate == nil { r.fail(since, "日付として読めません（値: \(FieldText.excerpt(r.text(since)))）。和暦（令和 6年10月 1日）か西暦（2024-10-01）で書いてください") }
        }
        let institution = prefecture.code + table + numberText
        guard let name = r.required(self.name), r.issues.isEmpty else { return nil }
        if institutions[institution] == nil {
            institutions[institution] = providers.count
            providers.append(newProvider(r, institution: institution, name: name, prefecture: prefecture.name, division: divisionText))
        }
        if !codeText.isEmpty || r.optional(noticeName) != nil {
            let notice = NoticeRecord(line: r.row.line, code: codeText, name: r.optional(noticeName),
                                      number: r.optional(noticeNumber).map(FieldText.halfWidth), since: sinceDate, remarks: remarks.isEmpty ? nil : remarks)
            Self.add(notice, to: &providers[institutions[institution]!], following: previous == institution)
            previous = institution
        } else {
            previous = nil
        }
        return (divisionText, prefecture.code)
    }

    /// Adds a 届出 to its institution. 東海北陸, 九州 and 四国 repeat a 届出's whole row once per 備考
    /// pair (病棟種別, 病床数, …): a row right after its institution's last 届出, with the same code,
    /// name, 受理番号 and date and a 備考 of its own, is that 届出 again, and only its 備考 is kept, after
    /// those before. Rows repeated without 備考 (関東信越 lists 療養環境加算 once per ward) stay apart.
    static func add(_ notice: NoticeRecord, to provider: inout ProviderRecord, following: Bool) {
        guard following, let more = notice.remarks, notice.number != nil, let last = provider.notices.indices.last,
              provider.notices[last].code == notice.code, provider.notices[last].name == notice.name,
              provider.notices[last].number == notice.number, provider.notices[last].since == notice.since else {
            provider.notices.append(notice)
            return
        }
        provider.notices[last].remarks = [provider.notices[last].remarks, more].compactMap { $0 }.joined(separator: "\n")
    }

    func prefectureOf(_ r: inout RowReader) -> (code: String, name: String)? {
        let codeText = FieldText.halfWidth(r.text(prefectureCode)), nameText = r.text(prefectureName)
        if let p = Prefectures.all.first(where: { $0.code == codeText }) ?? Prefectures.all.first(where: { $0.name == nameText }) { return p }
        if prefectureCode == nil, prefectureName == nil {
            r.fail(nil, "都道府県コードまたは都道府県名の列が必要です")
        } else {
            r.fail(prefectureCode ?? prefectureName, "都道府県が読めません（コード: \(FieldText.excerpt(codeText))、名称: \(FieldText.excerpt(nameText))）")
        }
        return nil
    }

    func newProvider(_ r: RowReader, institution: String, name: String, prefecture: String, division: String) -> ProviderRecord {
        let kind: ProviderKind = switch division {
        case "薬局": .pharmacy
        case "歯科": name.contains("病院") ? .hospital : .dentalClinic
        default: name.contains("病院") ? .hospital : .clinic
        }
        var p = ProviderRecord(line: r.row.line, source: "todokede", officialID: institution, kind: kind, name: name)
        p.institutionCode = institution
        // The 名簿 writes addresses without the prefecture.
        p.address = r.optional(address).map { $0.hasPrefix(prefecture) ? $0 : prefecture + $0 }
        p.phone = r.optional(phone).map(Self.phoneNumber)
        p.fax = r.optional(fax).map(Self.phoneNumber)
        p.preferredContact = p.phone != nil ? .phone : p.fax != nil ? .fax : nil
        p.municipalityCode = r.optional(municipality).flatMap(FieldText.municipalityCode)
        return p
    }

    /// `048(886)8504` and 全角 forms as `048-886-8504`.
    static func phoneNumber(_ raw: String) -> String {
        var s = FieldText.halfWidth(raw).replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        s = s.replacingOccurrences(of: ")", with: "-").replacingOccurrences(of: "(", with: "-")
        if s.hasPrefix("-") { s.removeFirst() }
        return s.replacingOccurrences(of: "--", with: "-")
    }
}

/// The 地方厚生局 that publishes a prefecture's 名簿 (for the credit line).
enum Bureau {
    static func name(forPrefecture code: String) -> String {
        switch Int(code) ?? 0 {
        case 1: "北海道厚生局"
        case 2...7: "東北厚生局"
        case 8...15, 19, 20: "関東信越厚生局"
        case 16...18, 21...24: "東海北陸厚生局"
        case 25...30: "近畿厚生局"
        case 31...35: "中国四国厚生局"
        case 36...39: "四国厚生支局"
        case 40...47: "九州厚生局"
        default: "地方厚生局"
        }
    }
}
