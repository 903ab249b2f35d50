import Foundation
import GRDB
import KakehashiGeo

/// Everything the coverage question needs about the loaded providers and places, read in one go
/// so that lookups run in memory.
public struct ProviderFactsSnapshot: Sendable {
    public struct Provider: Sendable {
        public var id: Int64
        public var source: String
        public var officialID: String
        public var kind: String
        public var name: String
        public var address: String?
        public var municipalityCode: String?
        public var location: GeoPoint?
        /// Nil: the point is the source's own; `town`: the 町字's representative point, found from the address.
        public var locationLevel: String?
        public var phone: String?
        public var fax: String?
        public var email: String?
        public var url: String?
        public var preferredContact: String?
        /// The provider's own note for coordinators (declared at the desk).
        public var contactNote: String?
        public var datasetID: Int64
        public var services: [String] = []

        public init(id: Int64, source: String, officialID: String, kind: String, name: String, datasetID: Int64) {
            self.id = id
            self.source = source
            self.officialID = officialID
            self.kind = kind
            self.name = name
            self.datasetID = datasetID
        }

        public var capabilities: [Capability] = []
        /// The other sources' records joined to this provider, and how each join was made.
        public var joinedSources: [JoinedSource] = []
        public var hours: [Hours] = []
        public var areas: [Area] = []
        /// What the provider keeps at the desk (issue #20).
        public var declarations: [Declaration] = []
    }

    /// A capability with the 届出 it comes from, where the source names one.
    public struct Capability: Sendable {
        public var capability: String
        public var detail: String?
        public var noticeNumber: String?
        public var since: String?
        public var datasetID: Int64

        public init(capability: String, detail: String?, noticeNumber: String?, since: String?, datasetID: Int64) {
            (self.capability, self.detail, self.noticeNumber, self.since, self.datasetID) = (capability, detail, noticeNumber, since, datasetID)
        }
    }

    /// A record of another source joined to a provider (see `InstitutionJoin`).
    public struct JoinedSource: Sendable {
        public var source: String
        public var officialID: String
        public var joinedBy: String
        public var datasetID: Int64
    }

    public struct Hours: Sendable {
        public var service: String?
        public var scope: String
        public var label: String?
        public var openingHours: String?
        public var datasetID: Int64

        public init(service: String?, scope: String, label: String?, openingHours: String?, datasetID: Int64) {
            (self.service, self.scope, self.label, self.openingHours, self.datasetID) = (service, scope, label, openingHours, datasetID)
        }
    }

    public struct Area: Sendable {
        public var service: String?
        public var rule: String
        public var radiusM: Double?
        public var municipalities: [String] = []
        public var towns: [(municipalityCode: String, town: String)] = []
        public var polygon: Geometry?
        public var datasetID: Int64

        public init(service: String?, rule: String, radiusM: Double? = nil, polygon: Geometry? = nil, datasetID: Int64) {
            (self.service, self.rule, self.radiusM, self.polygon, self.datasetID) = (service, rule, radiusM, polygon, datasetID)
        }
    }

    public struct Municipality: Sendable {
        public var code: String
        public var prefecture: String
        public var name: String
        public var boundary: Geometry?
    }

    public struct Town: Sendable {
        public var municipalityCode: String
        public var name: String
        public var point: GeoPoint
    }

    public struct Dataset: Sendable, Codable {
        public var id: Int64
        public var sourceKind: String
        public var fileName: String
        public var referenceDate: String?
        public var loadedAt: String
        public var credit: String
    }

    public var providers: [Provider]
    public var municipalities: [Municipality]
    public var towns: [Town]
    public var datasets: [Int64: Dataset]
    /// How many times the providers' declarations had changed when this was read (0: never).
    public var declarationsRevision: Int64 = 0
}

public struct OnCallReport: Sendable, Codable, Equatable {
    public var id: Int64
    public var providerID: Int64
    public var service: String?
    public var startsAt: Date
    public var endsAt: Date
    public var contact: String?
    public var note: String?
    public var reportedBy: String
    /// The writer's role (`coordinator`: heard by phone, not from the provider); nil before roles.
    public var reportedRole: String?
    public var reportedAt: Date

    public init(id: Int64, providerID: Int64, service: String?, startsAt: Date, endsAt: Date, contact: String?, note: String?,
                reportedBy: String, reportedRole: String? = nil, reportedAt: Date) {
        self.id = id
        self.providerID = providerID
        self.service = service
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.contact = contact
        self.note = note
        self.reportedBy = reportedBy
        self.reportedRole = reportedRole
        self.reportedAt = reportedAt
    }
}

extension SpatialDatabase {
    /// Reads every provider with its services, capabilities, hours and service areas, the municipal
    /// boundaries and the 町字 points.
    public func providerFacts() throws -> ProviderFactsSnapshot {
        try reader.read { db in try Self.providerFacts(db, only: nil, places: true) }
    }

    /// One provider with all its facts, or nil.
    public func providerFacts(id: Int64) throws -> (ProviderFactsSnapshot.Provider, [Int64: ProviderFactsSnapshot.Dataset])? {
        try reader.read { db in
            let s = try Self.providerFacts(db, only: id, places: false)
            return s.providers.first.map { ($0, s.datasets) }
        }
    }

    static func providerFacts(_ db: Database, only: Int64?, places: Bool) throws -> ProviderFactsSnapshot {
            let filter = only.map { "WHERE id = \($0)" } ?? ""
            let childFilter = only.map { "WHERE provider_id = \($0)" } ?? ""
            var providers: [ProviderFactsSnapshot.Provider] = []
            var index: [Int64: Int] = [:]
            // Kinds and sources repeat on every row: share one string each instead of one per provider.
            var pool: [String: String] = [:]
            func shared(_ text: String) -> String {
                if let s = pool[text] { return s }
                pool[text] = text
                return text
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT id, source, official_id, kind, name, address, municipality_code, X(location) AS x, Y(location) AS y,
                       location_level, phone, fax, email, url, preferred_contact, dataset_id FROM providers \(filter) ORDER BY id
                """) {
                let x: Double? = r["x"], y: Double? = r["y"]
                let id: Int64 = r["id"]
                index[id] = providers.count
                var p = ProviderFactsSnapshot.Provider(
                    id: id, source: shared(r["source"]), officialID: r["official_id"] as String, kind: shared(r["kind"]),
                    name: r["name"] as String, datasetID: r["dataset_id"] as Int64)
                p.address = r["address"]
                p.municipalityCode = r["municipality_code"]
                if let x, let y { p.location = GeoPoint(lon: x, lat: y) }
                p.locationLevel = r["location_level"]
                p.phone = r["phone"]
                p.fax = r["fax"]
                p.email = r["email"]
                p.url = r["url"]
                p.preferredContact = r["preferred_contact"]
                providers.append(p)
            }
            for r in try Row.fetchAll(db, sql: "SELECT provider_id, source, official_id, joined_by, dataset_id FROM provider_sources \(childFilter)") {
                if let i = index[r["provider_id"]] {
                    providers[i].joinedSources.append(.init(source: r["source"], officialID: r["official_id"], joinedBy: r["joined_by"], datasetID: r["dataset_id"]))
                }
            }
            for r in try Row.fetchAll(db, sql: "SELECT provider_id, service FROM provider_services \(childFilter)") {
                if let i = index[r["provider_id"]] { providers[i].services.append(r["service"]) }
            }
            for r in try Row.fetchAll(db, sql: """
                SELECT provider_id, capability, detail, notice_number, since, dataset_id FROM provider_capabilities \(childFilter)
                """) {
                if let i = index[r["provider_id"]] {
                    providers[i].capabilities.append(.init(capability: r["capability"], detail: r["detail"], noticeNumber: r["notice_number"],
                                                           since: r["since"], datasetID: r["dataset_id"]))
                }
            }
            for r in try Row.fetchAll(db, sql: "SELECT provider_id, service, scope, label, opening_hours, dataset_id FROM provider_hours \(childFilter) ORDER BY id") {
                if let i = index[r["provider_id"]] {
                    providers[i].hours.append(.init(service: r["service"], scope: r["scope"], label: r["label"],
                                                    openingHours: r["opening_hours"], datasetID: r["dataset_id"]))
                }
            }
            var areaIndex: [Int64: (Int, Int)] = [:]
            for r in try Row.fetchAll(db, sql: "SELECT id, provider_id, service, rule, radius_m, AsGeoJSON(area, 7) AS geojson, dataset_id FROM service_areas \(childFilter) ORDER BY id") {
                guard let i = index[r["provider_id"]] else { continue }
                let polygon = Self.geometry(geoJSON: r["geojson"])
                areaIndex[r["id"]] = (i, providers[i].areas.count)
                providers[i].areas.append(.init(service: r["service"], rule: r["rule"], radiusM: r["radius_m"], polygon: polygon, datasetID: r["dataset_id"]))
            }
            for r in try Row.fetchAll(db, sql: "SELECT area_id, municipality_code FROM service_area_municipalities") {
                if let (i, k) = areaIndex[r["area_id"]] { providers[i].areas[k].municipalities.append(r["municipality_code"]) }
            }
            for r in try Row.fetchAll(db, sql: "SELECT area_id, municipality_code, town FROM service_area_towns") {
                if let (i, k) = areaIndex[r["area_id"]] { providers[i].areas[k].towns.append((r["municipality_code"], r["town"])) }
            }
            for d in try declarations(db, provider: only) {
                if let i = index[d.providerID] { providers[i].declarations.append(d) }
            }
            let municipalities = try Row.fetchAll(db, sql: "SELECT code, prefecture, county, name, AsGeoJSON(boundary, 7) AS geojson FROM municipalities WHERE ? ORDER BY code", arguments: [places]).map { r in
                let boundary = Self.geometry(geoJSON: r["geojson"])
                let county: String? = r["county"]
                return ProviderFactsSnapshot.Municipality(
                    code: r["code"], prefecture: r["prefecture"],
                    name: (county?.hasSuffix("郡") == true ? county! : "") + (r["name"] as String), boundary: boundary)
            }
            let towns = try Row.fetchAll(db, sql: "SELECT municipality_code, town, X(point) AS x, Y(point) AS y FROM towns WHERE point IS NOT NULL AND ?", arguments: [places]).map {
                ProviderFactsSnapshot.Town(municipalityCode: $0["municipality_code"], name: $0["town"], point: GeoPoint(lon: $0["x"], lat: $0["y"]))
            }
            var snapshot = ProviderFactsSnapshot(providers: providers, municipalities: municipalities, towns: towns, datasets: try datasetsByID(db))
            snapshot.declarationsRevision = try Int64.fetchOne(db, sql: "SELECT revision FROM declarations_revision") ?? 0
            return snapshot
    }

    /// A geometry SpatiaLite wrote as GeoJSON (`AsGeoJSON`); nil for NULL.
    static func geometry(geoJSON text: String?) -> Geometry? {
        guard let data = text?.data(using: .utf8), let any = try? JSONSerialization.jsonObject(with: data) else { return nil }
        return try? GeoJSONReader.geometry(any)
    }

    static func datasetsByID(_ db: Database) throws -> [Int64: ProviderFactsSnapshot.Dataset] {
        var datasets: [Int64: ProviderFactsSnapshot.Dataset] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT id, source_kind, file_name, reference_date, loaded_at, credit FROM datasets") {
            let id: Int64 = r["id"]
            datasets[id] = ProviderFactsSnapshot.Dataset(
                id: id, sourceKind: r["source_kind"] as String, fileName: r["file_name"] as String,
                referenceDate: r["reference_date"] as String?, loadedAt: r["loaded_at"] as String, credit: r["credit"] as String)
        }
        return datasets
    }

    // MARK: On-call reports

    static func timestamp(_ d: Date) -> String { d.formatted(.iso8601) }
    static func date(_ s: String) -> Date? { try? Date(s, strategy: .iso8601) }

    /// The current (not replaced) on-call report of every provider that has one, expired ones included.
    public func currentOnCallReports() throws -> [OnCallReport] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM on_call_reports WHERE replaced_at IS NULL ORDER BY id").compactMap(Self.report)
        }
    }

    static func report(_ r: Row) -> OnCallReport? {
        guard let s = date(r["starts_at"]), let e = date(r["ends_at"]),
              let at = date(r["reported_at"]) else { return nil }
        let id: Int64 = r["id"], provider: Int64 = r["provider_id"]
        return OnCallReport(id: id, providerID: provider, service: r["service"] as String?, startsAt: s, endsAt: e,
                            contact: r["contact"] as String?, note: r["note"] as String?, reportedBy: r["reported_by"] as String,
                            reportedRole: r["reported_role"] as String?, reportedAt: at)
    }

    /// Records a provider's on-call report, replacing its current one, and audits the write.
    /// Returns nil when the provider does not exist.
    public func putOnCallReport(provider: Int64, service: String?, startsAt: Date, endsAt: Date, contact: String?, note: String?,
                                actor: String, role: String? = nil, at now: Date = Date()) throws -> OnCallReport? {
        try writeRecords { db in
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM providers WHERE id = ?", arguments: [provider]) != nil else { return nil }
            let nowText = Self.timestamp(now)
            let previous = try Int64.fetchAll(db, sql: "SELECT id FROM on_call_reports WHERE provider_id = ? AND replaced_at IS NULL", arguments: [provider])
            // What the write replaces, for the audit's before and after.
            let before = try Row.fetchOne(db, sql: """
                SELECT service, starts_at, ends_at, contact, note, reported_by FROM on_call_reports
                WHERE provider_id = ? AND replaced_at IS NULL ORDER BY id DESC LIMIT 1
                """, arguments: [provider]).map { row in
                    ["service", "starts_at", "ends_at", "contact", "note", "reported_by"].reduce(into: [String: String]()) { out, k in
                        if let v = row[k] as String? { out[k] = v }
                    }
                }
            try db.execute(sql: "UPDATE on_call_reports SET replaced_at = ? WHERE provider_id = ? AND replaced_at IS NULL", arguments: [nowText, provider])
            try db.execute(sql: """
                INSERT INTO on_call_reports (provider_id, service, starts_at, ends_at, contact, note, reported_by, reported_role, reported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [provider, service, Self.timestamp(startsAt), Self.timestamp(endsAt),
                                 contact, note, actor, role, nowText])
            let id = db.lastInsertedRowID
            let detail: [String: String?] = [
                "service": service, "starts_at": Self.timestamp(startsAt), "ends_at": Self.timestamp(endsAt),
                "contact": contact, "note": note, "replaces": previous.isEmpty ? nil : previous.map(String.init).joined(separator: ","),
            ]
            var audited: [String: Any] = detail.compactMapValues { $0 }
            if let role { audited["role"] = role }
            if let before { audited["before"] = before }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: audited, options: [.sortedKeys]), as: UTF8.self)
            try db.execute(sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, 'on_call.put', ?, ?)",
                           arguments: [nowText, actor, "provider:\(provider)", json])
            return try Row.fetchOne(db, sql: "SELECT * FROM on_call_reports WHERE id = ?", arguments: [id]).flatMap(Self.report)
        }
    }

    /// The audit log, newest first; of one provider's writes when `provider` is given.
    public func auditLog(limit: Int = 100, provider: Int64? = nil) throws -> [(at: String, actor: String, action: String, target: String, detail: String)] {
        try reader.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE ? IS NULL OR target = ? ORDER BY id DESC LIMIT ?",
                             arguments: [provider, provider.map { "provider:\($0)" }, limit]).map {
                ($0["at"], $0["actor"], $0["action"], $0["target"], $0["detail"])
            }
        }
    }
}
