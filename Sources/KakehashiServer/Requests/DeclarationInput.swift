import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// The desk's forms as JSON bodies, checked before anything is written: each becomes the value a
/// declaration keeps, or a 400 problem that names the field and what was expected.
enum DeclarationInput {
    struct HoursBody: Decodable { var service: String?; var openingHours: String? }
    struct AreaBody: Decodable {
        struct Area: Decodable {
            var rule: String
            var municipalities: [String]?
            var towns: [DeclaredArea.Town]?
            var radiusM: Double?
            var polygon: JSONValue?
        }
        var service: String?
        var area: Area?
    }
    struct CapabilitiesBody: Decodable { var capabilities: [String]; var notes: [String: String]? }

    /// The capabilities a provider may declare for itself, per service: those that make the lookup
    /// answer around the clock, and 24時間連絡体制 for care offices.
    static func declarable(_ services: Set<ServiceKind>) -> [Capability] {
        var out: [Capability] = []
        if services.contains(.homeVisitMedical) { out += [.homeSupportClinic, .homeSupportHospital] }
        if services.contains(.homeVisitNursing) { out.append(.nursing24h) }
        if services.contains(.homePharmacy) { out.append(.pharmacy24h) }
        if services.contains(.homeVisitDental) { out.append(.homeSupportDental) }
        if services.contains(.backupAdmission) { out.append(.backupHospital) }
        if services.contains(.careManagement) { out.append(.careContact24h) }
        return out
    }

    static func service(_ text: String?, of services: Set<ServiceKind>) throws -> String? {
        // Absent or null: every service; an empty name is a mistake, not "every".
        guard let text else { return nil }
        guard let s = ServiceKind(rawValue: text) else { throw Problem.badRequest("service", "service「\(text.prefix(40))」は未知です") }
        guard services.contains(s) else { throw Problem.badRequest("service", "この事業所は「\(s.japaneseName)」を提供していません") }
        return text
    }

    /// The hours value, read by the project's parser; nil withdraws the declaration.
    static func hours(_ body: HoursBody) throws -> String? {
        guard let text = body.openingHours?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        guard text.count <= 1000 else { throw Problem.badRequest("opening_hours", "opening_hours は 1000 文字までです") }
        do {
            _ = try OpeningHours(text)
        } catch {
            var detail = error.description
            if let (_, reading) = JapaneseHoursText.proposal(text), let c = reading.canonical { detail += "。日本語として読むと「\(c)」です" }
            throw Problem(.badRequest, "時間の書き方が読めません", detail, type: "https://kakehashi.example/problems/invalid-parameter",
                          parameter: "opening_hours", position: error.position)
        }
        return try DeclaredHours(openingHours: text).declarationJSON()
    }

    static func area(_ body: AreaBody, knows: (String) -> Bool) throws -> String? {
        guard let a = body.area else { return nil }
        guard let rule = DeclaredArea.Rule(rawValue: a.rule) else {
            throw Problem.badRequest("area.rule", "rule は municipalities・towns・radius・polygon のどれかです")
        }
        var area = DeclaredArea(rule: rule)
        switch rule {
        case .municipalities:
            let codes = a.municipalities ?? []
            guard !codes.isEmpty, codes.count <= 200 else { throw Problem.badRequest("area.municipalities", "市区町村コードを 1〜200 件挙げてください") }
            for c in codes where c.count != 5 || !c.allSatisfy(\.isNumber) || !knows(c) {
                throw Problem.badRequest("area.municipalities", "市区町村コード「\(c.prefix(10))」は知られていません（5 桁の全国地方公共団体コード）")
            }
            area.municipalities = Array(Set(codes)).sorted()
        case .towns:
            let towns = a.towns ?? []
            guard !towns.isEmpty, towns.count <= 2000 else { throw Problem.badRequest("area.towns", "町字を 1〜2000 件挙げてください") }
            for t in towns where !knows(t.municipalityCode) || t.town.isEmpty || t.town.count > 100 {
                throw Problem.badRequest("area.towns", "町字「\(t.municipalityCode) \(t.town.prefix(20))」の市区町村コードか名前が違います")
            }
            area.towns = towns
        case .radius:
            guard let r = a.radiusM, r >= 100, r <= 50_000 else { throw Problem.badRequest("area.radius_m", "radius_m は 100〜50000（メートル）です") }
            area.radiusM = r
        case .polygon:
            guard let g = a.polygon else { throw Problem.badRequest("area.polygon", "polygon（GeoJSON の Polygon か MultiPolygon）が必要です") }
            let geometry: Geometry
            do { geometry = try GeoJSONReader.geometry(g.anyValue) } catch {
                throw Problem.badRequest("area.polygon", "polygon が GeoJSON の Polygon・MultiPolygon として読めません: \(error)")
            }
            let points = geometry.allPoints
            guard geometry.polygons != nil, points.count >= 4, points.count <= 10_000 else {
                throw Problem.badRequest("area.polygon", "polygon は 4〜10000 点の Polygon か MultiPolygon です")
            }
            guard points.allSatisfy({ (122...154).contains($0.lon) && (20...46).contains($0.lat) }) else {
                throw Problem.badRequest("area.polygon", "polygon の座標が日本の範囲（経度 122〜154、緯度 20〜46）の外です")
            }
            area.polygon = geometry.geoJSON
        }
        return try area.declarationJSON()
    }

    static func capabilities(_ body: CapabilitiesBody, services: Set<ServiceKind>) throws -> String? {
        let allowed = Set(declarable(services).map(\.rawValue))
        for c in body.capabilities where !allowed.contains(c) {
            throw Problem.badRequest("capabilities", "「\(c.prefix(40))」はこの事業所が申告できる体制ではありません（\(allowed.sorted().joined(separator: "・"))）")
        }
        for (key, note) in body.notes ?? [:] where Capability(rawValue: key) == nil || note.count > 500 {
            throw Problem.badRequest("notes", "notes は体制の名前ごとに 500 文字までの注記です")
        }
        let notes = (body.notes ?? [:]).filter { !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }
        if body.capabilities.isEmpty && notes.isEmpty { return nil }
        return try DeclaredCapabilities(capabilities: Array(Set(body.capabilities)).sorted(), notes: notes.isEmpty ? nil : notes).declarationJSON()
    }

    static func contact(_ body: DeclaredContact) throws -> String? {
        for (name, value, limit) in [("phone", body.phone, 40), ("fax", body.fax, 40), ("email", body.email, 200), ("note", body.note, 1000)]
            where (value?.count ?? 0) > limit {
            throw Problem.badRequest(name, "\(name) は \(limit) 文字までです")
        }
        if let p = body.preferred, !["phone", "fax", "email"].contains(p) { throw Problem.badRequest("preferred", "preferred は phone・fax・email のどれかです") }
        if let e = body.email, !e.isEmpty, !(e.contains("@") && !e.contains(" ")) { throw Problem.badRequest("email", "email の形が違います") }
        func clean(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 } }
        let c = DeclaredContact(phone: clean(body.phone), fax: clean(body.fax), email: clean(body.email), preferred: body.preferred, note: clean(body.note))
        if c == DeclaredContact() { return nil }
        return try c.declarationJSON()
    }
}
