import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// The number of an availability group (``CoverageIndex/TimelineKey``) in ``CoverageIndex/groups``.
typealias AvailabilityGroup = UInt32

/// Providers, places and rules held in memory for lookups: built once from the store (and again
/// when the data changes); immutable, so any number of requests read it at once.
public final class CoverageIndex: Sendable {
    public struct Settings: Sendable {
        /// The straight-line limit for 往診・訪問診療 (the medical fee schedule's 16 km).
        public var medicalRadiusM: Double = 16_000
        /// How far around the point providers are considered for radius and default areas.
        public var searchRadiusM: Double = 30_000
        /// Memory for cell plans (see ``CellPlan``); 0 turns them off.
        public var planCacheBytes: Int = 32 << 20
        /// The request of a cell, service and window at which its plan is built (see ``CellPlanCache``).
        public var planAfterRequests: Int = 8
        /// Whether that request count rises while plans go unread (see ``CellPlanCache``); off only where
        /// every plan must be built, as in the tests comparing plan answers with the full scan.
        public var planAdmissionAdapts = true
        /// How long a provider's declaration is trusted after its last confirmation.
        public var declarationStaleAfterDays: Int = 180

        public init(medicalRadiusM: Double = 16_000, searchRadiusM: Double = 30_000, planCacheBytes: Int = 32 << 20, planAfterRequests: Int = 8) {
            self.medicalRadiusM = medicalRadiusM
            self.searchRadiusM = max(searchRadiusM, medicalRadiusM)
            self.planCacheBytes = planCacheBytes
            self.planAfterRequests = planAfterRequests
        }
    }

    struct Hours: Sendable {
        let service: ServiceKind?
        /// Index into ``CoverageIndex/rules``: identical strings are parsed once and shared.
        let rules: Int32
        let datasetID: Int64
    }

    struct Area: Sendable {
        enum Rule: Sendable {
            case radius(Double)
            case municipalities(Set<String>)
            case towns(Set<String>)  // "code/町字"
            case polygon(Geometry, GeoBox)
        }
        let service: ServiceKind?
        let rule: Rule
        let datasetID: Int64
    }

    /// A class, so that handing a provider around the lookup's inner loop is one reference count,
    /// not one per string, set and array of its facts.
    final class Provider: Sendable {
        let facts: ProviderRecord
        let services: ServiceSet
        let capabilities: Set<Capability>
        /// The registration behind each capability.
        let registrations: [Registration]
        let hours: [Hours]
        let areas: [Area]
        /// What it declares at the desk, with each confirmation (issue #20).
        let declared: [DeclaredFacts.Fact]
        /// Services whose declared area is stale: their answers are unknown.
        let staleAreas: Set<ServiceKind>

        init(facts: ProviderRecord, services: Set<ServiceKind>, registrations: [Registration], hours: [Hours],
             areas: [Area], declared: [DeclaredFacts.Fact] = [], staleAreas: Set<ServiceKind> = []) {
            self.facts = facts
            self.declared = declared
            self.staleAreas = staleAreas
            self.services = ServiceSet(services)
            self.capabilities = Set(registrations.map(\.capability))
            self.registrations = registrations
            self.hours = hours
            self.areas = areas
        }
    }

    struct Municipality: Sendable {
        let code: String
        let prefecture: String
        let name: String
        let box: GeoBox
        let boundary: Geometry

        func holds(_ p: GeoPoint) -> Bool {
            p.lon >= box.minLon && p.lon <= box.maxLon && p.lat >= box.minLat && p.lat <= box.maxLat && boundary.contains(p)
        }
    }

    let providers: [Provider]
    /// What the lookup's inner loop reads per candidate (see ``PackedFacts``), in provider order.
    let packed: [PackedFacts]
    /// Per provider and service ordinal: the availability group (hours set, capability, night), whose
    /// timeline a window computes once; ``ungrouped`` where the service is not offered. Up to 32 bits
    /// (``GroupTable``): national data holds more than 65,535 groups, and providers past a 16-bit limit
    /// were weighed one by one (14× the engine's CPU for medical lookups with 55,296 hours strings).
    let groups: GroupTable
    static let ungrouped = AvailabilityGroup.max
    let groupKeys: [TimelineKey]
    /// The first provider and service of each group, whose timeline stands for the group's.
    let groupRepresentatives: [(Int32, ServiceKind)]
    let municipalityIndex: [String: Int32]
    /// Every distinct opening_hours string, parsed once.
    let rules: [OpeningHours]
    public let settings: Settings
    /// The legal limits and service-area rules.
    let eligibility: Eligibility
    /// Availability groups: providers with the same hours for a service and the same capability
    /// share one availability timeline per window (numbered by ``AvailabilityGroup``).
    struct TimelineKey: Hashable, Sendable {
        let hoursSet: Int32
        let capability: Bool
        let night: Bool
        /// A stale declared area: unknown but for on-call reports.
        var staleArea = false
        /// See ``Ranking/preference(_:_:)``.
        var preference = 0
    }
    /// What lookups in the same cell, service and window share (see ``CellPlan``).
    let plans: CellPlanCache
    let memoNumbers = EntryMemoNumbers()
    /// The availability groups' timelines per window, shared by lookups.
    let windowTimelines: WindowTimelineCache
    let plannedEntries: PlannedEntryCache
    /// The Japanese texts of the area rules, written once per municipality rather than per entry.
    let areaTexts: AreaTexts
    /// Placed providers by grid cell: all of them (for boxes) and, per service, those a distance
    /// can qualify (medical visits, declared radius areas).
    let grid: [Int64: [Int32]]
    /// Per service (by ordinal), the providers a distance can qualify, in 0.01° cells.
    let distanceCells: [CellTable?]
    /// The largest radius any provider declares, so the distance search never misses one.
    let largestRadiusM: Double
    /// Per service, the providers whose declared municipality or 町字 lists name a municipality.
    let byAreaMunicipality: [ServiceKind: [String: [Int32]]]
    /// Per service (by ordinal), the providers by what decides whether they serve a point.
    let reach: [ServiceReach]
    /// Per service, the providers that declare no area for it, by their own municipality.
    let byHomeMunicipality: [ServiceKind: [String: [Int32]]]
    let polygonProviders: [Int32]
    let municipalities: [Municipality]
    let towns: [String: [ProviderFactsSnapshot.Town]]
    let datasets: [Int64: ProviderFactsSnapshot.Dataset]
    /// Each dataset's reference as a page entry's sources when it is the only one, as most are: one
    /// shared array instead of an array and four strings copied per entry.
    let soleSources: [Int64: [SourceRef]]
    /// Provider ids, sorted, and each one's index: a dictionary of 450,000 entries took twice the
    /// memory of these two arrays.
    let sortedIDs: [Int64]
    let sortedIndexes: [Int32]

    /// The index of a provider id (binary search over ``sortedIDs``).
    func index(of id: Int64) -> Int32? {
        var lo = 0, hi = sortedIDs.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sortedIDs[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sortedIDs.count && sortedIDs[lo] == id ? sortedIndexes[lo] : nil
    }
    /// The next instant a declaration fresh at build time turns stale: build the index again then.
    public let declarationsTurnStale: Date?
    /// The count of declaration changes the index was built from (part of ``dataVersion``).
    let declarationsRevision: Int64
    /// Opening-hours strings that did not parse, with the provider: reported, never guessed at.
    public let unreadableHours: [(providerID: Int64, text: String, error: String)]

    static let cellDegrees = 0.05
    /// The per-service distance grids are finer, so that a 16 km search reads little beyond its circle.
    static let distanceCellDegrees = 0.01

    static func cell(_ lon: Double, _ lat: Double) -> Int64 { CellTable.key(lon, lat, degrees: cellDegrees) }

    /// `now`: when declarations are judged fresh or stale (see ``declarationsTurnStale``).
    public init(_ snapshot: ProviderFactsSnapshot, settings: Settings = Settings(), now: Date = Date()) {
        self.settings = settings
        eligibility = Eligibility(medicalRadiusM: settings.medicalRadiusM, admissionRadiusM: settings.searchRadiusM)
        plans = CellPlanCache(budget: settings.planCacheBytes, buildAt: settings.planAfterRequests, adapts: settings.planAdmissionAdapts)
        // As much again as the plans: a plan keeps a few dozen bytes per qualified provider, a written
        // entry is ten times that, and only those shown are written. A quarter of it made the cells
        // workload's lookups 15 µs slower (entries written again and again).
        plannedEntries = PlannedEntryCache(budget: settings.planCacheBytes)
        var b = IndexBuilder(providerCount: snapshot.providers.count)
        b.freshness = DeclarationFreshness(staleAfterDays: settings.declarationStaleAfterDays)
        b.now = now
        // Providers are numbered cell by cell, so that the candidates of one grid cell sit next to
        // each other in the packed tables the lookup walks (random order cost a cache miss each).
        let ordered = snapshot.providers.sorted { a, b in
            let ca = a.location.map { Self.cell($0.lon, $0.lat) } ?? .max, cb = b.location.map { Self.cell($0.lon, $0.lat) } ?? .max
            return ca != cb ? ca < cb : a.id < b.id
        }
        for p in ordered { b.add(p) }
        for m in snapshot.municipalities { _ = b.intern(m.code) }
        providers = b.providers
        packed = b.packed
        groups = b.groups
        groupKeys = b.groupIDs.sorted { $0.value < $1.value }.map(\.key)
        groupRepresentatives = b.groupRepresentatives
        windowTimelines = WindowTimelineCache(groups: groupKeys.count)
        municipalityIndex = b.municipalityIndex
        rules = b.rules
        grid = b.grid
        distanceCells = ServiceKind.allCases.map { s in b.distanceGrid[s].map { CellTable(degrees: Self.distanceCellDegrees, cells: $0) } }
        largestRadiusM = b.largestRadius
        byAreaMunicipality = b.byArea
        byHomeMunicipality = b.byHome
        polygonProviders = Array(Set(b.polygons)).sorted()
        let idIndex = b.idIndex.sorted { $0.0 < $1.0 }
        sortedIDs = idIndex.map(\.0)
        sortedIndexes = idIndex.map(\.1)
        unreadableHours = b.unreadable
        declarationsTurnStale = b.declarationsTurnStale
        declarationsRevision = snapshot.declarationsRevision
        municipalities = snapshot.municipalities.compactMap { m in
            guard let boundary = m.boundary else { return nil }
            let pts = boundary.allPoints
            return Municipality(code: m.code, prefecture: m.prefecture, name: m.name,
                                box: GeoBox(minLon: pts.map(\.lon).min()!, minLat: pts.map(\.lat).min()!, maxLon: pts.map(\.lon).max()!, maxLat: pts.map(\.lat).max()!),
                                boundary: boundary)
        }
        towns = Dictionary(grouping: snapshot.towns, by: \.municipalityCode)
        areaTexts = AreaTexts(legalRadiusM: settings.medicalRadiusM, codes: b.municipalityIndex.keys)
        datasets = snapshot.datasets
        soleSources = Dictionary(uniqueKeysWithValues: snapshot.datasets.map { id, d in
            (id, [SourceRef(dataset: id, sourceKind: d.sourceKind, file: d.fileName, referenceDate: d.referenceDate, loadedAt: d.loadedAt)])
        })
        let (packed, groups, providers, eligibility, interned) = (b.packed, b.groups, b.providers, eligibility, b.municipalityIndex)
        reach = ServiceKind.allCases.map { s in
            ServiceReach.build(service: s, packed: packed, groups: groups, areas: { providers[$0].areas }, eligibility: eligibility,
                               municipalityCount: interned.count, interned: { interned[$0] })
        }
    }

    public var providerCount: Int { providers.count }

    /// The municipality whose boundary holds the point.
    func municipality(containing p: GeoPoint) -> Municipality? { municipalities.first { $0.holds(p) } }

    func municipality(code: String) -> Municipality? { municipalities.first { $0.code == code } }

    /// The 町字 whose representative point is nearest, within the municipality (the first of equals),
    /// sought among `candidates` (positions in the municipality's list, in order) when given.
    func nearestTown(to p: GeoPoint, in code: String, among candidates: [Int32]? = nil) -> String? {
        guard let list = towns[code], !list.isEmpty else { return nil }
        // By index, with the query point's own distance function: no trigonometry or string copies per town.
        let around = Geodesic.Around(p)
        var best = 0, bestDistance = Double.infinity
        // Read in place: copying a town out of the array retained its name, shared by both event loops.
        list.withUnsafeBufferPointer { towns in
            func weigh(_ k: Int) {
                let d = around.distance(to: towns[k].point)
                if d < bestDistance { best = k; bestDistance = d }
            }
            if let candidates {
                for k in candidates { weigh(Int(k)) }
            } else {
                for k in towns.indices { weigh(k) }
            }
        }
        return list[best].name
    }

    /// The towns a point of the cell can be nearest to, for a plan to keep; nil where the
    /// municipality has so few that all are weighed.
    func townCandidates(cell: Int64, code: String?) -> [Int32]? {
        guard let code, let list = towns[code], list.count > 24 else { return nil }
        return townsNear(cell: cell, list)
    }

    /// The towns of `list` that are nearest to some point of the cell: those whose distance from
    /// the cell's centre, less the cell's reach, is within the least distance plus the reach. The
    /// margin covers the approximate distance (within a metre to 50 km, a few beyond) many times over.
    func townsNear(cell: Int64, _ list: [ProviderFactsSnapshot.Town]) -> [Int32] {
        let d = CellPlan.cellDegrees
        let x = Double(cell / 100_000), y = Double(cell % 100_000)
        let centre = GeoPoint(lon: (x + 0.5) * d, lat: (y + 0.5) * d)
        let reach = [GeoPoint(lon: x * d, lat: y * d), GeoPoint(lon: (x + 1) * d, lat: y * d), GeoPoint(lon: x * d, lat: (y + 1) * d),
                     GeoPoint(lon: (x + 1) * d, lat: (y + 1) * d)].map { Geodesic.distance(centre, $0) }.max()!
        let around = Geodesic.Around(centre)
        let distances = list.map { around.distance(to: $0.point) }
        let margin = { (c: Double) in reach + 5 + c * 0.001 }
        let least = distances.map { $0 + margin($0) }.min()!
        return distances.indices.filter { distances[$0] - margin(distances[$0]) <= least }.map(Int32.init)
    }

    /// Providers in the grid cells around a point (of one service's distance grid, or all). Cells
    /// of the fine distance grid that lie wholly beyond the distance are skipped.
    func nearby(_ p: GeoPoint, metres: Double, service: ServiceKind? = nil) -> [Int32] {
        var result: [Int32] = []
        if let service {
            distanceCells[service.ordinal]?.forEach(near: p, metres: metres) { result.append(contentsOf: $0) }
            return result
        }
        let box = Geodesic.box(around: p, metres: metres)
        let x0 = Int64((box.minLon / Self.cellDegrees).rounded(.down)), x1 = Int64((box.maxLon / Self.cellDegrees).rounded(.down))
        let y0 = Int64((box.minLat / Self.cellDegrees).rounded(.down)), y1 = Int64((box.maxLat / Self.cellDegrees).rounded(.down))
        for x in x0...x1 {
            for y in y0...y1 { result.append(contentsOf: grid[x * 100_000 + y] ?? []) }
        }
        return result
    }

    func provider(id: Int64) -> Provider? { index(of: id).map { providers[Int($0)] } }

    public func contains(providerID: Int64) -> Bool { index(of: providerID) != nil }

    /// Whether the municipality is one the data knows (its boundary or a provider names it).
    public func knowsMunicipality(_ code: String) -> Bool { municipalityIndex[code] != nil }

    /// The municipalities whose boundary box comes within `metres` of a point, nearest first (for a
    /// provider's area form).
    public func municipalities(near p: GeoPoint, within metres: Double) -> [(code: String, name: String)] {
        let dLat = metres / 111_000, dLon = metres / (111_000 * cos(p.lat * .pi / 180))
        func gap(_ b: GeoBox) -> Double {
            let x = max(0, max(b.minLon - p.lon, p.lon - b.maxLon)) / dLon, y = max(0, max(b.minLat - p.lat, p.lat - b.maxLat)) / dLat
            return x * x + y * y
        }
        return municipalities.filter { gap($0.box) <= 1 }.sorted { gap($0.box) < gap($1.box) }.map { ($0.code, $0.name) }
    }

    /// A provider's name, or nil for an id the index does not hold.
    public func providerName(id: Int64) -> String? { index(of: id).map { providers[Int($0)].facts.name } }
}

/// A provider's services as bits: a `Set` per provider cost a heap allocation each (450,000 of them
/// in the stress region).
struct ServiceSet: Sequence, Sendable {
    let bits: UInt16

    init(_ services: Set<ServiceKind>) { bits = services.reduce(0) { $0 | $1.bit } }

    func contains(_ s: ServiceKind) -> Bool { bits & s.bit != 0 }
    func isDisjoint(with other: Set<ServiceKind>) -> Bool { !other.contains { contains($0) } }
    func makeIterator() -> some IteratorProtocol<ServiceKind> { ServiceKind.allCases.lazy.filter { self.contains($0) }.makeIterator() }
}

extension ServiceKind {
    /// The service's bit in ``PackedFacts/services`` (allCases has fewer than 15).
    var bit: UInt16 { 1 << UInt16(ordinal) }
}

/// What the lookup's inner loop reads per candidate, packed and contiguous. The provider objects
/// are scattered over the heap, and chasing them was most of a medical lookup's time.
struct PackedFacts: Sendable {
    var lat: Double
    var lon: Double
    /// Offered services, one bit per ``ServiceKind/ordinal``.
    var services: UInt16
    /// Services with a declared area; ``everyService`` when an area names no service.
    var declared: UInt16
    /// The provider's own municipality, interned in ``municipalityIndex`` (-1: unknown).
    var home: Int32
    /// The dataset the provider comes from (-1: an id beyond 32 bits, read from the facts).
    var dataset: Int32 = -1
    /// Whether some of its hours come from another dataset than the provider itself.
    var hoursElsewhere = true

    /// Whether the location is known (unknown is stored as NaN).
    var located: Bool { !lat.isNaN }

    static let everyService: UInt16 = 1 << 15

    /// Whether the provider declares an area for the service (one for every service counts).
    func declares(_ s: ServiceKind) -> Bool { declared & (s.bit | Self.everyService) != 0 }
}
