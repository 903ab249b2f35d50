import KakehashiHours
import KakehashiModel

/// 介護サービス情報公表システム open data: one CSV per service type in the 24-column layout.
///
/// Each row is one office's designation for one service, so a provider here is keyed by
/// (service code, 事業所番号): the same office designated for two services is two providers, as in
/// the source.
public enum KaigoImporter {
    /// サービスの種類 text → service. Names not listed are outside home care and are skipped.
    static let services: [String: ServiceKind] = [
        "訪問介護": .homeCare,
        "訪問入浴介護": .homeBathing,
        "訪問看護": .homeVisitNursing,
        "訪問リハビリテーション": .homeRehabilitation,
        "居宅介護支援": .careManagement,
        "夜間対応型訪問介護": .nightHomeCare,
        "定期巡回・随時対応型訪問介護看護": .regularVisit24h,
        "看護小規模多機能型居宅介護": .nursingMultifunctional,
        "複合型サービス（看護小規模多機能型居宅介護）": .nursingMultifunctional,
        "複合型サービス": .nursingMultifunctional,
    ]

    static func kind(for service: ServiceKind) -> ProviderKind {
        switch service {
        case .homeVisitNursing: .visitingNurseStation
        case .careManagement: .careManagementOffice
        case .homeCare, .nightHomeCare, .regularVisit24h, .homeBathing: .homeCareOffice
        case .nursingMultifunctional: .multiServiceOffice
        default: .other
        }
    }

    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        let cols = try table.require([
            ("都道府県コード又は市区町村コード", ["都道府県コード又は市区町村コード", "市区町村コード"]),
            ("事業所名", ["事業所名"]),
            ("サービスの種類", ["サービスの種類"]),
            ("住所", ["住所"]),
            ("緯度", ["緯度"]),
            ("経度", ["経度"]),
            ("事業所番号", ["事業所番号"]),
        ])
        try table.requireRectangular()
        let (cCode, cName, cService, cAddress, cLat, cLon, cID) = (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5], cols[6])
        let cKana = table.column(["事業所名カナ"]), cBuilding = table.column(["方書（ビル名等）", "方書"])
        let cPhone = table.column(["電話番号"]), cFax = table.column(["FAX番号"]), cURL = table.column(["URL"])
        let cCorp = table.column(["法人の名称"]), cDays = table.column(["利用可能曜日"]), cDaysNote = table.column(["利用可能曜日特記事項"])

        var parsed = ParsedDataset(kind: .kaigo, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options, keepsMisplaced: true)
        var seen: [String: Int] = [:]
        var codes = Set<String>(), prefectures = Set<String>()
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let serviceText = r.text(cService)
            guard let service = services[serviceText] else {
                parsed.rejected.append(ImportIssue(file: file.name, line: row.line, column: "サービスの種類",
                                                   "在宅サービスではないため読み飛ばしました（\(FieldText.excerpt(serviceText))）"))
                continue
            }
            let id = officeNumber(&r, column: cID)
            let serviceCode = service.kaigoServiceCode ?? service.rawValue
            if !id.isEmpty, let first = seen["\(serviceCode)/\(id)"] {
                r.fail(cID, "事業所番号 \(id)（\(serviceText)）が重複しています（最初は \(first) 行目）")
            }
            let name = r.required(cName)
            let codeText = r.text(cCode)
            var municipality: String?
            if codeText.count > 2 {
                municipality = FieldText.municipalityCode(codeText)
                if municipality == nil { r.fail(cCode, "市区町村コードは 5 桁または 6 桁の数字です（値: \(FieldText.excerpt(codeText))）") }
            }
            let (point, _) = r.location(lat: cLat, lon: cLon, zeroMeansUnknown: true)
            guard errors.accept(r, into: &parsed), let name else { continue }
            seen["\(serviceCode)/\(id)"] = row.line

            var p = ProviderRecord(line: row.line, source: "kaigo:\(serviceCode)", officialID: id, kind: kind(for: service), name: name)
            p.kana = r.optional(cKana)
            p.address = r.optional(cAddress)
            p.building = r.optional(cBuilding)
            p.municipalityCode = municipality
            p.location = point
            p.phone = r.optional(cPhone)
            p.fax = r.optional(cFax)
            p.url = r.optional(cURL)
            p.corporation = r.optional(cCorp)
            p.preferredContact = p.phone != nil ? .phone : (p.fax != nil ? .fax : nil)
            p.services = [service]
            // A みなし指定 office of a clinic or hospital: its 事業所番号 is the 医療機関コード (点数表 1 医科, 3 歯科, 4 薬局).
            if id.count == 10, "134".contains(id[id.index(id.startIndex, offsetBy: 2)]) { p.institutionCode = id }
            let (days, unread) = availableDays(r.text(cDays), note: r.text(cDaysNote), service: service)
            p.hours = days.map { [$0] } ?? []
            if let unread {
                parsed.warnings.append(ImportIssue(file: file.name, line: row.line, column: "利用可能曜日",
                                                   "変換できなかった部分を注記として残しました: \(FieldText.excerpt(unread))"))
            }
            if point == nil && r.coordinateIssues.isEmpty {
                parsed.warnings.append(ImportIssue(file: file.name, line: row.line, column: "緯度",
                                                   "座標がない（または 0,0）ため位置不明として取り込みました"))
            }
            codes.insert(serviceCode)
            if let municipality { prefectures.insert(String(municipality.prefix(2))) }
            parsed.providers.append(p)
        }
        try errors.check()
        parsed.sourceKey = "kaigo:\(codes.sorted().joined(separator: "+")):\(prefectures.sorted().joined(separator: ","))"
        return parsed
    }

    /// 事業所番号: ten digits (全角 accepted).
    static func officeNumber(_ r: inout RowReader, column: Int) -> String {
        let id = FieldText.halfWidth(r.text(column))
        if id.isEmpty {
            r.fail(column, "値が空です（必須）")
        } else if id.count != 10 || !id.allSatisfy({ $0.isASCII && $0.isNumber }) {
            r.fail(column, "事業所番号は 10 桁の数字です（値: \(FieldText.excerpt(id))）")
        }
        return id
    }

    /// 利用可能曜日 and its note as the service's hours, and the part that could not be read.
    static func availableDays(_ days: String, note: String, service: ServiceKind) -> (HoursRecord?, unread: String?) {
        guard !days.isEmpty || !note.isEmpty else { return (nil, nil) }
        let converted = AvailableDaysText.convert(days, note: note)
        let record = HoursRecord(service: service, scope: .service, label: "利用可能曜日", openingHours: converted.openingHours,
                                 sourceText: [days, note].filter { !$0.isEmpty }.joined(separator: " / "))
        return (record, converted.unconverted)
    }
}
