import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// Turns the store's snapshot of providers into the index's tables, one provider at a time.
struct IndexBuilder {
    typealias Provider = CoverageIndex.Provider
    var providers: [Provider] = []
    var packed: [PackedFacts] = []
    var groups = GroupTable()
    var groupIDs: [CoverageIndex.TimelineKey: Int32] = [:]
    /// The first provider and service of each group.
    var groupRepresentatives: [(Int32, ServiceKind)] = []
    var idIndex: [(Int64, Int32)] = []
    var rules: [OpeningHours] = []
    var ruleIDs: [String: Int32] = [:]
    var hoursSetIDs: [[Int32]: Int32] = [:]
    var unreadable: [(providerID: Int64, text: String, error: String)] = []
    var municipalityIndex: [String: Int32] = [:]
    var grid: [Int64: [Int32]] = [:]
    var distanceGrid: [ServiceKind: [Int64: [Int32]]] = [:]
    var largestRadius = 0.0
    var byArea: [ServiceKind: [String: [Int32]]] = [:]
    var byHome: [ServiceKind: [String: [Int32]]] = [:]
    var polygons: [Int32] = []
    /// Many providers list the same municipalities: one set per distinct list.
    private var listPool: Set<Set<String>> = []
    /// When declarations are read as fresh or stale (the index's build time).
    var freshness = DeclarationFreshness()
    var now = Date()
    /// The next instant a declaration now fresh turns stale: the index must be built again then.
    var declarationsTurnStale: Date?

    init(providerCount: Int) {
        providers.reserveCapacity(providerCount)
        packed.reserveCapacity(providerCount)
        groups.reserveCapacity(providerCount * ServiceKind.allCases.count)
    }

    mutating func intern(_ code: String) -> Int32 {
        if let i = municipalityIndex[code] { return i }
        municipalityIndex[code] = Int32(municipalityIndex.count)
        return Int32(municipalityIndex.count - 1)
    }

    mutating func add(_ snapshot: ProviderFactsSnapshot.Provider) {
        var p = snapshot
        let i = Int32(providers.count)
        idIndex.append((p.id, i))
        let services = Set(p.services.compactMap(ServiceKind.init(rawValue:)))
        var declared: DeclaredFacts?
        if !p.declarations.isEmpty {
            let d = DeclaredFacts(p.declarations, freshness: freshness, now: now, services: services)
            p.hours = d.hours(over: p.hours, services: services)
            p.areas = d.areas(over: p.areas, services: services)
            p.capabilities += d.capabilities
            d.contact(over: &p)
            if let t = d.turnsStale { declarationsTurnStale = min(declarationsTurnStale ?? t, t) }
            declared = d
        }
        let hours = readHours(p)
        let areas = readAreas(p, number: i)
        let registrations = p.capabilities.compactMap { c in
            Capability(rawValue: c.capability).map { Registration(capability: $0, detail: c.detail, noticeNumber: c.noticeNumber, since: c.since, dataset: c.datasetID) }
        }
        let capabilities = Set(registrations.map(\.capability))
        file(i, p, services: services, areas: areas)
        let staleAreas = declared?.staleAreaServices ?? []
        groups.append(contentsOf: groupRow(i, services: services, hours: hours, capabilities: capabilities, staleAreas: staleAreas))
        var declaresArea: UInt16 = 0
        for a in areas { declaresArea |= a.service.map { $0.bit } ?? PackedFacts.everyService }
        packed.append(PackedFacts(lat: p.location?.lat ?? .nan, lon: p.location?.lon ?? .nan, services: services.reduce(0) { $0 | $1.bit },
                                  declared: declaresArea, home: p.municipalityCode.map { intern($0) } ?? -1,
                                  dataset: Int32(exactly: p.datasetID) ?? -1, hoursElsewhere: hours.contains { $0.datasetID != p.datasetID }))
        // What the lookup needs is converted above; the rest is read from the store on demand.
        providers.append(Provider(facts: ProviderRecord(p), services: services, registrations: registrations, hours: hours, areas: areas,
                                  declared: declared?.facts ?? [], staleAreas: staleAreas))
    }

    /// The provider's service hours, each distinct string parsed once; unreadable strings are
    /// reported, never guessed at.
    private mutating func readHours(_ p: ProviderFactsSnapshot.Provider) -> [CoverageIndex.Hours] {
        var hours: [CoverageIndex.Hours] = []
        for h in p.hours where h.scope == "service" {
            guard let text = h.openingHours else { continue }
            var id = ruleIDs[text]
            if id == nil {
                do {
                    rules.append(try OpeningHours(text))
                    id = Int32(rules.count - 1)
                    ruleIDs[text] = id
                } catch {
                    unreadable.append((p.id, text, error.description))
                }
            }
            if let id { hours.append(.init(service: h.service.flatMap(ServiceKind.init(rawValue:)), rules: id, datasetID: h.datasetID)) }
        }
        return hours
    }

    private mutating func readAreas(_ p: ProviderFactsSnapshot.Provider, number i: Int32) -> [Area] {
        var areas: [Area] = []
        for a in p.areas {
            let service = a.service.flatMap(ServiceKind.init(rawValue:))
            switch a.rule {
            case "radius": if let r = a.radiusM { areas.append(Area(service: service, rule: .radius(r), datasetID: a.datasetID)) }
            case "municipalities":
                for code in a.municipalities { _ = intern(code) }
                areas.append(Area(service: service, rule: .municipalities(listPool.insert(Set(a.municipalities)).memberAfterInsert), datasetID: a.datasetID))
            case "towns":
                let keys = Set(a.towns.map { $0.municipalityCode + "/" + $0.town })
                for t in a.towns { _ = intern(t.municipalityCode) }
                areas.append(Area(service: service, rule: .towns(listPool.insert(keys).memberAfterInsert), datasetID: a.datasetID))
            case "polygon":
                if let g = a.polygon {
                    let pts = g.allPoints
                    let box = GeoBox(minLon: pts.map(\.lon).min() ?? 0, minLat: pts.map(\.lat).min() ?? 0,
                                     maxLon: pts.map(\.lon).max() ?? 0, maxLat: pts.map(\.lat).max() ?? 0)
                    areas.append(Area(service: service, rule: .polygon(g, box), datasetID: a.datasetID))
                    polygons.append(i)
                }
            default: break
            }
        }
        return areas
    }

    /// Files the provider under the lookup's candidate lists: by grid cell, by the distance a
    /// service can qualify it at, by listed and own municipality.
    private mutating func file(_ i: Int32, _ p: ProviderFactsSnapshot.Provider, services: Set<ServiceKind>, areas: [Area]) {
        for a in areas {
            let codes: [String]
            switch a.rule {
            case .municipalities(let listed): codes = listed.sorted()
            case .towns(let keys): codes = Set(keys.compactMap { $0.split(separator: "/").first.map(String.init) }).sorted()
            default: continue
            }
            for s in services where a.service == nil || a.service == s {
                for code in codes where byArea[s]?[code]?.last != i { byArea[s, default: [:]][code, default: []].append(i) }
            }
        }
        if let loc = p.location {
            grid[CoverageIndex.cell(loc.lon, loc.lat), default: []].append(i)
            for s in services {
                var byRadius = false
                for a in areas where a.service == nil || a.service == s {
                    if case .radius(let r) = a.rule { largestRadius = max(largestRadius, r); byRadius = true }
                }
                if Eligibility.limitedByDistance(s) || byRadius {
                    distanceGrid[s, default: [:]][CellTable.key(loc.lon, loc.lat, degrees: CoverageIndex.distanceCellDegrees), default: []].append(i)
                }
            }
        }
        if let code = p.municipalityCode {
            for s in services where !Eligibility.limitedByDistance(s) && !areas.contains(where: { $0.service == nil || $0.service == s }) {
                byHome[s, default: [:]][code, default: []].append(i)
            }
        }
    }

    /// The provider's availability group per service (hours, capability, night service).
    private mutating func groupRow(_ i: Int32, services: Set<ServiceKind>, hours: [CoverageIndex.Hours], capabilities: Set<Capability>,
                                   staleAreas: Set<ServiceKind>) -> [AvailabilityGroup] {
        var row = [AvailabilityGroup](repeating: CoverageIndex.ungrouped, count: ServiceKind.allCases.count)
        for s in services {
            let ids = hours.filter { $0.service == nil || $0.service == s }.map(\.rules)
            let hoursSet = hoursSetIDs[ids] ?? Int32(hoursSetIDs.count)
            hoursSetIDs[ids] = hoursSet
            let key = CoverageIndex.TimelineKey(hoursSet: hoursSet, capability: Availability.roundTheClock(capabilities, s), night: s == .nightHomeCare,
                                                 staleArea: staleAreas.contains(s), preference: Ranking.preference(capabilities, s))
            if let g = groupIDs[key] { row[s.ordinal] = AvailabilityGroup(g) } else if groupIDs.count < Int(Int32.max) {  // numbered as Int32 too (``Weighing/groupTimeline(_:)``)
                groupIDs[key] = Int32(groupIDs.count)
                groupRepresentatives.append((i, s))
                row[s.ordinal] = AvailabilityGroup(groupIDs.count - 1)
            }
        }
        return row
    }
}
