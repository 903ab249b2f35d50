/// Lists of 在宅療養支援診療所・病院 (registrations received by the regional 厚生局), geocoded:
/// `id,name,address,category,facility_type,jis_code,municipality,pref,lat,lon,…,subtype,enhanced,enhanced_kind`.
///
/// Registration is a capability: it obliges a 24-hour contact and home-visit system.
public enum ZaishishinImporter {
    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        let (text, _) = try file.text()
        let table = try CSVTable(text: text, file: file.name)
        let cols = try table.require([
            ("id", ["id", "医療機関コード"]), ("name", ["name", "医療機関名称"]), ("lat", ["lat", "緯度"]), ("lon", ["lon", "経度"]),
        ])
        try table.requireRectangular()
        let cAddress = table.column(["address", "医療機関所在地", "所在地"]), cCategory = table.column(["category"])
        let cType = table.column(["facility_type"]), cCode = table.column(["jis_code", "市区町村コード"])
        let cSubtype = table.column(["subtype"]), cEnhancedKind = table.column(["enhanced_kind"])
        let cPhone = table.column(["phone", "電話番号"]), cFax = table.column(["fax", "FAX番号"])

        var parsed = ParsedDataset(kind: .zaishishin, file: file, sourceKey: "")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        var prefectures = Set<String>()
        for row in table.rows {
            parsed.rowsRead += 1
            var r = RowReader(table: table, row: row)
            let id = r.required(cols[0]) ?? ""
            if let first = seen[id] { r.fail(cols[0], "id \(id) が重複しています（最初は \(first) 行目）") }
            let name = r.required(cols[1])
            let (point, _) = r.location(lat: cols[2], lon: cols[3], zeroMeansUnknown: true)
            var municipality: String?
            if let code = r.optional(cCode) {
                municipality = FieldText.municipalityCode(code)
                if municipality == nil { r.fail(cCode, "市区町村コードは 5 桁または 6 桁の数字です（値: \(FieldText.excerpt(code))）") }
            }
            let hospital = r.text(cType) == "home_support_hospital" || r.text(cCategory).contains("病院")
            guard errors.accept(r, into: &parsed), let name else { continue }
            seen[id] = row.line

            var p = ProviderRecord(line: row.line, source: "zaishishin", officialID: id, kind: hospital ? .hospital : .clinic, name: name)
            p.address = r.optional(cAddress)
            p.municipalityCode = municipality
            p.location = point
            p.phone = r.optional(cPhone)
            p.fax = r.optional(cFax)
            p.preferredContact = p.phone != nil ? .phone : nil
            p.services = [.homeVisitMedical]
            let detail: String? = switch r.text(cSubtype) {
            case "1": "enhanced_single"
            case "2": "enhanced_joint"
            case "3": "standard"
            default: r.optional(cEnhancedKind)
            }
            p.capabilities = [CapabilityRecord(hospital ? .homeSupportHospital : .homeSupportClinic, detail: detail)]
            if point == nil && r.coordinateIssues.isEmpty {
                parsed.warnings.append(ImportIssue(file: file.name, line: row.line, column: "lat", "座標がないため位置不明として取り込みました"))
            }
            if let municipality { prefectures.insert(String(municipality.prefix(2))) }
            parsed.providers.append(p)
        }
        try errors.check()
        parsed.sourceKey = "zaishishin:\(prefectures.sorted().joined(separator: ","))"
        return parsed
    }
}
