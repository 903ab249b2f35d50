import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel

/// Kakehashi's own provider format, for what no official file covers: a pharmacy list, a provider's
/// own hours, capabilities and service areas. CSV or GeoJSON with the same property names
/// (README.md, "Native provider format"):
///
/// `id,name,kind,services,lat,lon,address,kana,municipality_code,phone,fax,email,url,preferred_contact,
/// capabilities,opening_hours,hours_service,area_radius_m,area_municipalities,area_towns`
///
/// In GeoJSON, Point features are providers; Polygon / MultiPolygon features with a `provider`
/// property (and `provider_source` when the provider came from another source, e.g. `kaigo:130`)
/// are service-area polygons.
public enum ProvidersImporter {
    public static let nativeSource = "native"

    public static func parse(_ file: SourceFile, options: ImportOptions) throws -> ParsedDataset {
        var parsed = ParsedDataset(kind: .providers, file: file, sourceKey: "providers:\((file.name as NSString).deletingPathExtension)")
        parsed.referenceDate = options.referenceDate
        var errors = RowErrors(options)
        let (text, _) = try file.text()
        let trimmed = text.drop { $0.isWhitespace }
        guard trimmed.first == "{" else {
            let table = try CSVTable(text: text, file: file.name)
            _ = try table.require([("id", ["id"]), ("name", ["name"]), ("kind", ["kind"])])
            try table.requireRectangular()
            parsed.rowsRead = table.rows.count
            parsed.providerStream = ProviderStream(expected: table.rows.count) { sink in
                Result { try readCSV(table, of: file, options: options, into: sink) }
            }
            return parsed
        }
        var seen: [String: Int] = [:]
        parsed.lineUnit = .feature
        try readGeoJSON(text, file: file, into: &parsed, errors: &errors, seen: &seen)
        try errors.check()
        return parsed
    }

    /// Points are providers, polygons their service areas.
    private static func readGeoJSON(_ text: String, file: SourceFile, into parsed: inout ParsedDataset, errors: inout RowErrors,
                                    seen: inout [String: Int]) throws {
        let features: [Feature]
        do { features = try GeoJSONReader.features(from: Data(text.utf8)) } catch let e as GeoDecodingError {
            throw ImportFailure(ImportIssue(file: file.name, feature: e.feature, e.message))
        }
        var areas: [(Int, AttachedAreaRecord)] = []
        var hoursNotes = HoursWarningNotes()
        for f in features {
            parsed.rowsRead += 1
            let values = f.properties.compactMapValues { $0.text }
            var issues: [ImportIssue] = []
            switch f.geometry {
            case .point(let p)?:
                var fields = Fields(file: file.name, line: f.index, values: values, unit: .feature)
                if !JapanExtent.contains(p) { fields.fail("geometry", "座標 (\(p.lon), \(p.lat)) が日本の範囲外です") }
                let record = fields.provider(location: p, seen: seen, hours: &hoursNotes)
                issues = fields.issues
                if errors.accept(issues, into: &parsed), let record {
                    seen[record.officialID] = f.index
                    parsed.providers.append(record)
                    parsed.warnings += hoursNotes.notes(for: record, file: file.name, line: f.index, unit: .feature)
                }
            case .polygon?, .multiPolygon?:
                var fields = Fields(file: file.name, line: f.index, values: values, unit: .feature)
                let id = fields.required("provider")
                let service = fields.service("service")
                if let outside = f.geometry?.allPoints.first(where: { !JapanExtent.contains($0) }) {
                    fields.fail("geometry", "座標 (\(outside.lon), \(outside.lat)) が日本の範囲外です")
                }
                if f.closedRings > 0 {
                    parsed.warnings.append(.closedRings(f.closedRings, file: file.name, feature: f.index))
                }
                if errors.accept(fields.issues, into: &parsed), let id, let g = f.geometry {
                    areas.append((f.index, AttachedAreaRecord(
                        line: f.index, providerSource: values["provider_source"] ?? nativeSource, officialID: id,
                        area: ServiceAreaRecord(service: service, rule: .polygon(g)))))
                }
            default:
                issues.append(ImportIssue(file: file.name, feature: f.index, column: "geometry", "Point（事業所）か Polygon / MultiPolygon（サービス提供地域）が必要です"))
                _ = errors.accept(issues, into: &parsed)
            }
        }
        // Areas of providers in this same file travel with them; the rest attach to loaded providers.
        let index = Dictionary(uniqueKeysWithValues: parsed.providers.enumerated().map { ($0.element.officialID, $0.offset) })
        for (_, a) in areas {
            if a.providerSource == nativeSource, let i = index[a.officialID] {
                parsed.providers[i].areas.append(a.area)
            } else {
                parsed.attachedAreas.append(a)
            }
        }
    }

    /// Converts the rows, in chunks, into the stream's sink; the row errors of the whole file at the end.
    private static func readCSV(_ table: CSVTable, of source: SourceFile, options: ImportOptions,
                                into sink: ProviderStream.Sink) throws -> ProviderStream.Tail {
        let chunkSize = 2_000
        var part = ParsedDataset(kind: .providers, file: source, sourceKey: "")
        var errors = RowErrors(options)
        var seen: [String: Int] = [:]
        var hoursNotes = HoursWarningNotes()
        let file = table.file
        let (lat, lon) = (table.column(["lat"]), table.column(["lon"]))
        for (n, row) in table.rows.enumerated() {
            if n % 256 == 0, sink.isCancelled { throw CancellationError() }
            var values: [String: String] = [:]
            for (i, h) in table.header.enumerated() where i < row.fields.count {
                let v = row.fields[i].trimmingSpaces
                if !v.isEmpty { values[h] = v }
            }
            var fields = Fields(file: file, line: row.line, values: values)
            var location: GeoPoint?
            if values["lat"] != nil || values["lon"] != nil {
                var r = RowReader(table: table, row: row)
                let (p, _) = r.location(lat: lat, lon: lon, zeroMeansUnknown: false)
                fields.issues.append(contentsOf: r.issues + r.coordinateIssues)
                location = p
            }
            let record = fields.provider(location: location, seen: seen, hours: &hoursNotes)
            if errors.accept(fields.issues, into: &part), let record {
                seen[record.officialID] = row.line
                part.providers.append(record)
                part.warnings += hoursNotes.notes(for: record, file: file, line: row.line, unit: nil)
            }
            // Once a row is refused the file will be, so nothing more is handed to the writer.
            if part.providers.count == chunkSize {
                guard errors.errors.isEmpty else { part.providers.removeAll(keepingCapacity: true); continue }
                guard sink.put(part.providers) else { throw CancellationError() }
                part.providers.removeAll(keepingCapacity: true)
            }
        }
        try errors.check()
        if !part.providers.isEmpty { _ = sink.put(part.providers) }
        return ProviderStream.Tail(warnings: part.warnings, rejected: part.rejected)
    }

    /// Property access shared by the CSV and GeoJSON forms.
    struct Fields {
        let file: String
        let line: Int
        let values: [String: String]
        var issues: [ImportIssue] = []
        /// Set for GeoJSON: `line` is then the feature's number.
        var unit: ImportIssue.PositionUnit?

        init(file: String, line: Int, values: [String: String], unit: ImportIssue.PositionUnit? = nil) {
            self.file = file
            self.line = line
            self.values = values
            self.unit = unit
        }

        mutating func fail(_ column: String, _ message: String) {
            var issue = ImportIssue(file: file, line: line, column: column, message)
            issue.unit = unit
            issues.append(issue)
        }

        mutating func required(_ key: String) -> String? {
            guard let v = values[key], !v.isEmpty else { fail(key, "値が空です（必須）"); return nil }
            return v
        }

        func list(_ key: String) -> [String] {
            (values[key] ?? "").split(whereSeparator: { $0 == ";" || $0 == "；" }).map { String($0).trimmingSpaces }.filter { !$0.isEmpty }
        }

        mutating func service(_ key: String) -> ServiceKind? {
            guard let v = values[key] else { return nil }
            guard let s = ServiceKind(rawValue: v) else {
                fail(key, "サービス種類「\(v)」は未知です（使える値: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))）")
                return nil
            }
            return s
        }

        mutating func provider(location: GeoPoint?, seen: [String: Int], hours: inout HoursWarningNotes) -> ProviderRecord? {
            let id = required("id"), name = required("name"), kindText = required("kind")
            if let id, let first = seen[id] { fail("id", "id \(id) が重複しています（最初は \(first) 行目）") }
            let kind = kindText.flatMap(ProviderKind.init(rawValue:))
            if let kindText, kind == nil {
                fail("kind", "事業所の種類「\(kindText)」は未知です（使える値: \(ProviderKind.allCases.map(\.rawValue).joined(separator: ", "))）")
            }
            var services: [ServiceKind] = []
            for s in list("services") {
                if let k = ServiceKind(rawValue: s) { services.append(k) } else {
                    fail("services", "サービス種類「\(s)」は未知です（使える値: \(ServiceKind.allCases.map(\.rawValue).joined(separator: ", "))）")
                }
            }
            var capabilities: [CapabilityRecord] = []
            for c in list("capabilities") {
                let parts = c.split(separator: ":", maxSplits: 1).map(String.init)
                if let k = Capability(rawValue: parts[0]) { capabilities.append(CapabilityRecord(k, detail: parts.count > 1 ? parts[1] : nil)) } else {
                    fail("capabilities", "能力「\(parts[0])」は未知です（使える値: \(Capability.allCases.map(\.rawValue).joined(separator: ", "))）")
                }
            }
            var municipality: String?
            if let raw = values["municipality_code"] {
                municipality = FieldText.municipalityCode(raw)
                if municipality == nil { fail("municipality_code", "市区町村コードは 5 桁または 6 桁の数字です（値: \(raw)）") }
            }
            let preferred = values["preferred_contact"].flatMap(ContactMeans.init(rawValue:))
            if let v = values["preferred_contact"], preferred == nil { fail("preferred_contact", "phone / fax / email のいずれかです（値: \(v)）") }
            let hoursService = service("hours_service")
            var areas: [ServiceAreaRecord] = []
            if let r = values["area_radius_m"] {
                if let m = Double(decimalText: FieldText.halfWidth(r)), m > 0, m <= 100_000 {
                    areas.append(ServiceAreaRecord(service: nil, rule: .radius(metres: m)))
                } else {
                    fail("area_radius_m", "半径は 0 より大きく 100000 以下のメートル数です（値: \(r)）")
                }
            }
            let codes = list("area_municipalities")
            if !codes.isEmpty {
                let parsed = codes.compactMap(FieldText.municipalityCode)
                if parsed.count != codes.count { fail("area_municipalities", "市区町村コードの一覧が不正です（値: \(values["area_municipalities"]!)）") }
                areas.append(ServiceAreaRecord(service: nil, rule: .municipalities(parsed)))
            }
            let towns = list("area_towns")
            if !towns.isEmpty {
                var pairs: [(municipalityCode: String, town: String)] = []
                for t in towns {
                    let parts = t.split(separator: ":", maxSplits: 1).map(String.init)
                    if parts.count == 2, let code = FieldText.municipalityCode(parts[0]) { pairs.append((code, parts[1])) } else {
                        fail("area_towns", "「市区町村コード:町字」の形ではありません（値: \(t)）")
                    }
                }
                areas.append(ServiceAreaRecord(service: nil, rule: .towns(pairs)))
            }
            if let email = values["email"], !email.contains("@") { fail("email", "メールアドレスではありません（値: \(email)）") }
            guard issues.isEmpty, let id, let name, let kind else { return nil }
            var p = ProviderRecord(line: line, source: ProvidersImporter.nativeSource, officialID: id, kind: kind, name: name)
            p.kana = values["kana"]
            p.address = values["address"]
            p.municipalityCode = municipality
            p.location = location
            p.phone = values["phone"]
            p.fax = values["fax"]
            p.email = values["email"]
            p.url = values["url"]
            p.preferredContact = preferred ?? (p.phone != nil ? .phone : nil)
            p.services = services
            p.capabilities = capabilities
            p.areas = areas
            if let oh = values["opening_hours"], let error = hours.error(of: oh) { fail("opening_hours", error) }
            guard issues.isEmpty else { return nil }
            if let oh = values["opening_hours"] {
                p.hours = [HoursRecord(service: hoursService, scope: .service, label: values["hours_label"], openingHours: oh, sourceText: nil)]
            }
            return p
        }
    }
}

/// The warnings on the hours a file writes (`Mo-Fr 18:00-09:00; Sa 09:00-13:00` cuts Friday night),
/// worked out once per distinct value: a file repeats a few shapes thousands of times.
/// Each distinct value is read once per file, for its error and its warnings alike: a region's
/// providers share a few dozen hours strings.
struct HoursWarningNotes {
    /// A value read: its warnings, or why it does not read.
    private struct Reading { var warnings: [OpeningHoursWarning] = []; var error: String? }
    private var known: [String: Reading] = [:]

    private mutating func reading(_ value: String) -> Reading {
        if let r = known[value] { return r }
        var r = Reading()
        do { r.warnings = try OpeningHours(value).warnings() } catch { r.error = String(describing: error) }
        known[value] = r
        return r
    }

    /// Why the value is not `opening_hours`; nil when it reads.
    mutating func error(of value: String) -> String? { reading(value).error }

    mutating func notes(for record: ProviderRecord, file: String, line: Int, unit: ImportIssue.PositionUnit?) -> [ImportIssue] {
        record.hours.flatMap { h -> [ImportIssue] in
            guard let value = h.openingHours else { return [] }
            return reading(value).warnings.map { w in
                var issue = ImportIssue(file: file, line: line, column: "opening_hours", "「\(value)」: \(w.message)")
                issue.unit = unit
                return issue
            }
        }
    }
}
