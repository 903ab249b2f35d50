import KakehashiGeo
import KakehashiModel

/// For one service, the providers sorted by what decides whether they serve a point, so that a
/// lookup reads each kind from an index made for it:
/// - **by distance**: one limit decides (the legal radius with no declared area, or a single declared
///   radius, capped by the legal one). Kept by 0.01° cell with each cell's count per availability
///   group, so that cells wholly inside every member's limit are counted without reading a member,
///   and the page is sought nearest cell first.
/// - **by municipality**: the point's municipality decides (no declared area and no legal limit: the
///   provider's own municipality; or declared municipality lists only). Kept by municipality, with
///   counts per availability group.
/// - **weighed one by one**: everything else (町字 lists, drawn areas, mixed rules, medical providers
///   with declared lists, providers outside the shared availability groups), by the same rules as
///   the full scan.
/// On-call reports are dynamic: a reported provider is weighed one by one at lookup time, whatever
/// its kind (see ``CoverageIndex/answerBySearch(_:_:reports:)``).
struct ServiceReach: Sendable {
    /// A provider's kind for the service.
    enum Kind: Equatable {
        case distance(limit: Double)
        case municipalities([Int32])
        case weighed
    }

    let byDistance: DistanceMembers
    let byMunicipality: MunicipalityMembers
    /// The providers weighed one by one that a distance can qualify, by 0.01° cell.
    let weighedByDistance: CellTable
    /// The providers weighed one by one whose declared lists or own municipality name a
    /// municipality (by interned number).
    let weighedByMunicipality: [Int32: [Int32]]
    /// The providers weighed one by one with a drawn area.
    let weighedPolygons: [Int32]
}

/// Members as parallel arrays, grouped by a key (a cell or a municipality), with each key's count
/// per availability group.
struct GroupedMembers: Sendable {
    /// Members of key k: `starts[k]..<starts[k + 1]`.
    let starts: [Int32]
    let provider: [Int32]
    let lat: [Double]
    let lon: [Double]
    let group: [AvailabilityGroup]
    /// Group counts of key k: `countStarts[k]..<countStarts[k + 1]` into `countGroup`/`count`.
    let countStarts: [Int32]
    let countGroup: [AvailabilityGroup]
    let count: [Int32]

    /// `lists[k]`: the members of key k as (provider, lat, lon, group).
    init(_ lists: [[(Int32, Double, Double, AvailabilityGroup)]]) {
        var starts: [Int32] = [0], provider: [Int32] = [], lat: [Double] = [], lon: [Double] = [], group: [AvailabilityGroup] = []
        var countStarts: [Int32] = [0], countGroup: [AvailabilityGroup] = [], count: [Int32] = []
        for list in lists {
            var counts: [AvailabilityGroup: Int32] = [:]
            for (p, la, lo, g) in list {
                provider.append(p); lat.append(la); lon.append(lo); group.append(g)
                counts[g, default: 0] += 1
            }
            starts.append(Int32(provider.count))
            for (g, n) in counts.sorted(by: { $0.key < $1.key }) { countGroup.append(g); count.append(n) }
            countStarts.append(Int32(count.count))
        }
        (self.starts, self.provider, self.lat, self.lon, self.group) = (starts, provider, lat, lon, group)
        (self.countStarts, self.countGroup, self.count) = (countStarts, countGroup, count)
    }

    var keyCount: Int { starts.count - 1 }
    func members(_ k: Int) -> Range<Int> { Int(starts[k])..<Int(starts[k + 1]) }
    func counts(_ k: Int) -> Range<Int> { Int(countStarts[k])..<Int(countStarts[k + 1]) }
}

/// Providers a single distance limit decides, by 0.01° cell.
struct DistanceMembers: Sendable {
    let cells: CellRanges
    let members: GroupedMembers
    /// Each member's limit in metres.
    let limit: [Double]
    /// Per cell, the least and the greatest limit of its members.
    let minLimit: [Double]
    let maxLimit: [Double]
    /// The greatest limit of all.
    let largestLimit: Double
}

/// Providers the point's municipality decides, by interned municipality number.
struct MunicipalityMembers: Sendable {
    let members: GroupedMembers

    /// The members' key of a municipality (nil: none listed).
    func key(_ municipality: Int32) -> Int? { municipality >= 0 && Int(municipality) < members.keyCount ? Int(municipality) : nil }
}

extension CoverageIndex {
    /// Provider `i`'s kind for the service (for the few with an on-call report).
    func reachKind(_ i: Int32, _ s: ServiceKind) -> ServiceReach.Kind {
        let h = packed[Int(i)]
        let declared = h.declares(s) ? providers[Int(i)].areas.filter { $0.service == nil || $0.service == s } : []
        return ServiceReach.kind(h, group: groups[Int(i) * ServiceKind.allCases.count + s.ordinal], declared: declared,
                                 legal: eligibility.distanceLimit(s), interned: { municipalityIndex[$0] })
    }
}

extension ServiceReach {
    /// Sorts the providers offering `service` by kind. `areas(i)`: provider i's declared areas.
    static func build(service s: ServiceKind, packed: [PackedFacts], groups: GroupTable, areas: (Int) -> [Area], eligibility: Eligibility,
                      municipalityCount: Int, interned: (String) -> Int32?) -> ServiceReach {
        let width = ServiceKind.allCases.count
        var byCell: [Int64: [(Int32, Double, Double, AvailabilityGroup)]] = [:], limits: [Int64: [Double]] = [:]
        var byMunicipality = [[(Int32, Double, Double, AvailabilityGroup)]](repeating: [], count: municipalityCount)
        var weighedCells: [Int64: [Int32]] = [:], weighedByMunicipality: [Int32: [Int32]] = [:], polygons: [Int32] = []
        for (i, h) in packed.enumerated() where h.services & s.bit != 0 {
            let group = groups[i * width + s.ordinal]
            let declared = h.declares(s) ? areas(i).filter { $0.service == nil || $0.service == s } : []
            let kind = Self.kind(h, group: group, declared: declared, legal: eligibility.distanceLimit(s), interned: interned)
            switch kind {
            case .distance(let limit):
                let cell = CellTable.key(h.lon, h.lat, degrees: CoverageIndex.distanceCellDegrees)
                byCell[cell, default: []].append((Int32(i), h.lat, h.lon, group))
                limits[cell, default: []].append(limit)
            case .municipalities(let codes):
                for c in Set(codes) { byMunicipality[Int(c)].append((Int32(i), h.lat, h.lon, group)) }
            case .weighed:
                var byDistance = eligibility.distanceLimit(s) != nil
                for a in declared {
                    switch a.rule {
                    case .radius: byDistance = true
                    case .municipalities(let codes): for c in codes { if let m = interned(c) { weighedByMunicipality[m, default: []].append(Int32(i)) } }
                    case .towns(let keys): for c in Set(keys.compactMap { $0.split(separator: "/").first.map(String.init) }) { if let m = interned(c) { weighedByMunicipality[m, default: []].append(Int32(i)) } }
                    case .polygon: polygons.append(Int32(i))
                    }
                }
                if declared.isEmpty, h.home >= 0 { weighedByMunicipality[h.home, default: []].append(Int32(i)) }
                if byDistance, h.located { weighedCells[CellTable.key(h.lon, h.lat, degrees: CoverageIndex.distanceCellDegrees), default: []].append(Int32(i)) }
            }
        }
        let cellKeys = byCell.keys.sorted()
        let cellLimits = cellKeys.map { limits[$0]! }
        let distance = DistanceMembers(
            cells: CellRanges(degrees: CoverageIndex.distanceCellDegrees, keys: cellKeys), members: GroupedMembers(cellKeys.map { byCell[$0]! }),
            limit: cellLimits.flatMap { $0 }, minLimit: cellLimits.map { $0.min()! }, maxLimit: cellLimits.map { $0.max()! },
            largestLimit: cellLimits.map { $0.max()! }.max() ?? 0)
        return ServiceReach(byDistance: distance, byMunicipality: MunicipalityMembers(members: GroupedMembers(byMunicipality)),
                            weighedByDistance: CellTable(degrees: CoverageIndex.distanceCellDegrees, cells: weighedCells),
                            weighedByMunicipality: weighedByMunicipality.mapValues { Array(Set($0)).sorted() },
                            weighedPolygons: Array(Set(polygons)).sorted())
    }

    /// A provider's kind for a service: what alone decides whether it serves a point.
    static func kind(_ h: PackedFacts, group: AvailabilityGroup, declared: [Area], legal: Double?, interned: (String) -> Int32?) -> Kind {
        guard group != CoverageIndex.ungrouped else { return .weighed }
        if declared.isEmpty {
            if let legal { return h.located ? .distance(limit: legal) : .weighed }
            return h.home >= 0 ? .municipalities([h.home]) : .weighed
        }
        if declared.count == 1, case .radius(let r) = declared[0].rule {
            return h.located ? .distance(limit: min(r, legal ?? r)) : .weighed
        }
        guard legal == nil else { return .weighed }
        var codes: [Int32] = []
        for a in declared {
            guard case .municipalities(let listed) = a.rule else { return .weighed }
            codes += listed.compactMap(interned)
        }
        return .municipalities(codes)
    }
}
