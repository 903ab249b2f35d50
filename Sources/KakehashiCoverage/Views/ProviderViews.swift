import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

/// One provider as `GET /v1/providers/{id}` shows it.
public struct ProviderDetail: Sendable, Codable {
    public struct Area: Sendable, Codable {
        public var service: String?
        public var rule: String
        public var radiusM: Double?
        public var municipalities: [String]?
        public var towns: [String]?
        public var polygon: Bool?
    }
    public struct HoursView: Sendable, Codable {
        public var service: String?
        public var scope: String
        public var label: String?
        public var openingHours: String?
    }
    public var id: Int64
    public var officialId: String
    public var source: String
    public var kind: String
    public var name: String
    public var address: String?
    public var municipalityCode: String?
    public var lat: Double?
    public var lon: Double?
    /// `town`: the point is the 町字's representative point, found from the address.
    public var locationLevel: String?
    public var locationKnown: Bool
    public var services: [String]
    public var capabilities: [String]
    /// The registration (届出) behind each capability.
    public var registrations: [Registration]
    /// The records of other sources joined to this provider (one institution, many sources), and how.
    public var joinedSources: [JoinedSource]

    public struct JoinedSource: Sendable, Codable, Equatable {
        public var source: String
        public var officialId: String
        /// `institution_code`, `name_address_phone` or `name_address`.
        public var joinedBy: String
        public var dataset: Int64
    }
    public var hours: [HoursView]
    public var serviceAreas: [Area]
    public var contact: Contact
    public var sources: [SourceRef]
}

/// A GeoJSON FeatureCollection of providers (RFC 7946).
public struct ProviderFeatureCollection: Sendable, Encodable {
    public struct Feature: Sendable, Encodable {
        public struct PointGeometry: Sendable, Encodable {
            public let type = "Point"
            public var coordinates: [Double]
        }
        public let type = "Feature"
        public var id: Int64
        public var geometry: PointGeometry
        public var properties: [String: String]
    }
    public let type = "FeatureCollection"
    public var features: [Feature]
    public var numberMatched: Int
    public var numberReturned: Int
}

extension CoverageIndex {
    /// The full view of one provider, from its facts as the store reads them.
    public static func providerDetail(_ f: ProviderFactsSnapshot.Provider, datasets: [Int64: ProviderFactsSnapshot.Dataset]) -> ProviderDetail {
        let refs = Array(Set([f.datasetID] + f.areas.map(\.datasetID) + f.hours.map(\.datasetID) + f.capabilities.map(\.datasetID)
                            + f.joinedSources.map(\.datasetID))).sorted().compactMap { id in
            datasets[id].map { SourceRef(dataset: id, sourceKind: $0.sourceKind, file: $0.fileName, referenceDate: $0.referenceDate, loadedAt: $0.loadedAt) }
        }
        return ProviderDetail(
            id: f.id, officialId: f.officialID, source: f.source, kind: f.kind, name: f.name, address: f.address,
            municipalityCode: f.municipalityCode, lat: f.location?.lat, lon: f.location?.lon, locationLevel: f.locationLevel,
            locationKnown: f.location != nil, services: f.services.sorted(),
            capabilities: f.capabilities.map { c in c.detail.map { "\(c.capability):\($0)" } ?? c.capability },
            registrations: f.capabilities.compactMap { c in
                Capability(rawValue: c.capability).map { Registration(capability: $0, detail: c.detail, noticeNumber: c.noticeNumber, since: c.since, dataset: c.datasetID) }
            },
            joinedSources: f.joinedSources.map { .init(source: $0.source, officialId: $0.officialID, joinedBy: $0.joinedBy, dataset: $0.datasetID) },
            hours: f.hours.map { .init(service: $0.service, scope: $0.scope, label: $0.label, openingHours: $0.openingHours) },
            serviceAreas: f.areas.map { a in
                .init(service: a.service, rule: a.rule, radiusM: a.radiusM, municipalities: a.municipalities.isEmpty ? nil : a.municipalities,
                      towns: a.towns.isEmpty ? nil : a.towns.map { "\($0.municipalityCode):\($0.town)" }, polygon: a.polygon == nil ? nil : true)
            },
            contact: Contact(phone: f.phone, fax: f.fax, email: f.email, url: f.url, preferred: f.preferredContact, note: f.contactNote),
            sources: refs)
    }

    /// Providers whose location lies in the box, optionally offering one of the services.
    public func providers(in box: GeoBox, services: Set<ServiceKind>, limit: Int) -> ProviderFeatureCollection {
        var features: [ProviderFeatureCollection.Feature] = []
        var matched = 0
        var ids: [Int32] = []
        forEachCell(of: box) { ids.append(contentsOf: $0) }
        for i in ids.sorted(by: { providers[Int($0)].facts.id < providers[Int($1)].facts.id }) {
            let p = providers[Int(i)]
            guard let loc = p.facts.location, box.contains(loc) || (loc.lon == box.maxLon || loc.lat == box.maxLat) else { continue }
            if !services.isEmpty, p.services.isDisjoint(with: services) { continue }
            matched += 1
            guard features.count < limit else { continue }
            features.append(Self.feature(p, at: loc))
        }
        return ProviderFeatureCollection(features: features, numberMatched: matched, numberReturned: features.count)
    }

    /// One provider as the collection shows it; nil when unknown or its place is not known.
    public func providerFeature(id: Int64) -> ProviderFeatureCollection.Feature? {
        guard let p = provider(id: id), let loc = p.facts.location else { return nil }
        return Self.feature(p, at: loc)
    }

    static func feature(_ p: Provider, at loc: GeoPoint) -> ProviderFeatureCollection.Feature {
        var props: [String: String] = ["name": p.facts.name, "kind": p.facts.kind, "source": p.facts.source,
                                       "official_id": p.facts.officialID, "services": p.services.map(\.rawValue).sorted().joined(separator: ";")]
        if let c = p.facts.municipalityCode { props["municipality_code"] = c }
        if let phone = p.facts.phone { props["phone"] = phone }
        if let fax = p.facts.fax { props["fax"] = fax }
        return .init(id: p.facts.id, geometry: .init(coordinates: [loc.lon, loc.lat]), properties: props)
    }
}

extension CoverageIndex {
    /// The credit lines of every loaded dataset, for attributions.
    public var datasetCredits: [String] {
        Array(Set(datasets.values.map(\.credit))).sorted()
    }

    /// A version of the loaded data: changes whenever a load or a provider's declaration changes
    /// what the index holds (tiles and layers are cached and tagged by it).
    public var dataVersion: String {
        "\(datasets.keys.max() ?? 0)-\(providers.count)" + (declarationsRevision > 0 ? "-d\(declarationsRevision)" : "")
    }

    /// The extent of the loaded municipalities.
    public var bounds: GeoBox? {
        guard !municipalities.isEmpty else { return nil }
        return GeoBox(minLon: municipalities.map(\.box.minLon).min()!, minLat: municipalities.map(\.box.minLat).min()!,
                      maxLon: municipalities.map(\.box.maxLon).max()!, maxLat: municipalities.map(\.box.maxLat).max()!)
    }

    /// Drawn service-area polygons whose box meets the given one.
    public func polygonAreas(in box: GeoBox) -> [(provider: Int64, service: String?, geometry: Geometry)] {
        var out: [(Int64, String?, Geometry)] = []
        for i in polygonProviders {
            let p = providers[Int(i)]
            for a in p.areas {
                if case .polygon(let g, let b) = a.rule, b.minLon <= box.maxLon, b.maxLon >= box.minLon, b.minLat <= box.maxLat, b.maxLat >= box.minLat {
                    out.append((p.facts.id, a.service?.rawValue, g))
                }
            }
        }
        return out
    }
}

extension CoverageIndex {
    /// Placed providers in the box as (id, kind, position), by id: the light view for aggregating
    /// low-zoom tiles, without building each provider's properties.
    public func providerPoints(in box: GeoBox) -> [(id: Int64, kind: String, location: GeoPoint)] {
        var out: [(id: Int64, kind: String, location: GeoPoint)] = []
        forEachCell(of: box) { cell in
            for i in cell {
                let h = packed[Int(i)]
                let loc = GeoPoint(lon: h.lon, lat: h.lat)
                guard loc.lon >= box.minLon, loc.lon <= box.maxLon, loc.lat >= box.minLat, loc.lat <= box.maxLat else { continue }
                let p = providers[Int(i)]
                out.append((p.facts.id, p.facts.kind, loc))
            }
        }
        return out.sorted { $0.id < $1.id }
    }
}

extension CoverageIndex {
    /// The placed providers of every grid cell that meets the box (cells are coarser than boxes:
    /// callers filter by position).
    func forEachCell(of box: GeoBox, _ body: ([Int32]) -> Void) {
        let x0 = Int64((box.minLon / Self.cellDegrees).rounded(.down)), x1 = Int64((box.maxLon / Self.cellDegrees).rounded(.down))
        let y0 = Int64((box.minLat / Self.cellDegrees).rounded(.down)), y1 = Int64((box.maxLat / Self.cellDegrees).rounded(.down))
        for x in x0...x1 {
            for y in y0...y1 {
                if let cell = grid[x * 100_000 + y] { body(cell) }
            }
        }
    }
}
