import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

public enum CoverageStatus: String, Sendable, Codable, CaseIterable { case covered, partial, unknown }

/// Where an availability comes from, strongest first.
public enum AvailabilityBasis: String, Sendable, Codable, Comparable, CaseIterable {
    case capability, onCall = "on_call", hours

    var rank: Int { self == .capability ? 0 : self == .onCall ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public struct CoveredInterval: Sendable, Codable, Equatable {
    public var from: Date
    public var to: Date
    public var basis: AvailabilityBasis
}

/// The kinds of rule that let a provider serve a place.
public enum AreaRule: String, Sendable, Codable, CaseIterable {
    /// Declared: a radius, municipalities, 町字, a drawn polygon.
    case radius, municipalities, towns, polygon
    /// Nothing declared: the legal straight-line limit (medical visits) or the provider's own municipality.
    case legalRadius = "legal_radius", homeMunicipality = "home_municipality"
    /// Nothing declared and no law limits the distance (admissions): within Kakehashi's search radius.
    case searchRadius = "search_radius"
    /// Only on maps of a provider's areas: the legal limit that caps a medical provider's declared areas.
    case legalLimit = "legal_limit"
}

public struct AreaMatch: Sendable, Codable, Equatable {
    public var rule: AreaRule
    public var detail: String
}

public struct Contact: Sendable, Codable, Equatable {
    public var phone: String?
    public var fax: String?
    public var email: String?
    public var url: String?
    public var preferred: String?
    /// From an active on-call report.
    public var onCall: String?
}

/// The registration (届出) behind a capability: which, its type, 受理番号 and 算定開始年月日, and the
/// dataset that says so (e.g. a 厚生局 名簿 of one month).
public struct Registration: Sendable, Codable, Equatable {
    public var capability: Capability
    public var detail: String?
    public var noticeNumber: String?
    public var since: String?
    public var dataset: Int64
}

public struct SourceRef: Sendable, Codable, Equatable {
    public var dataset: Int64
    public var sourceKind: String
    public var file: String
    public var referenceDate: String?
    public var loadedAt: String
}

/// One qualifying provider and service. The provider's own facts (ids, name, kind, place,
/// contact) are read from the index's record rather than copied into every answer: an answer page
/// copied about a dozen strings per entry, which cost more than ranking thousands of candidates.
public struct CoverageEntry: Sendable, Encodable {
    let provider: CoverageIndex.Provider
    public var service: ServiceKind
    public var distanceM: Double?
    public var status: CoverageStatus
    public var basis: AvailabilityBasis?
    public var covered: [CoveredInterval]
    public var nextChange: Date?
    /// The contact of an active on-call report.
    public var onCall: String?
    /// The registration a capability answer rests on.
    public var registration: Registration?
    public var area: AreaMatch
    public var notes: [String]
    public var sources: [SourceRef]

    public var providerID: Int64 { provider.facts.id }
    public var officialID: String { provider.facts.officialID }
    public var source: String { provider.facts.source }
    public var name: String { provider.facts.name }
    public var kind: String { provider.facts.kind }
    /// Where the provider is (WGS84), so a client can place it on a map; nil when unknown.
    public var lat: Double? { provider.facts.location?.lat }
    public var lon: Double? { provider.facts.location?.lon }
    /// `town` when the point is the 町字's representative point found from the address (the source
    /// gave none): near the provider, never its doorstep.
    public var locationLevel: String? { provider.facts.locationLevel }
    public var contact: Contact {
        let f = provider.facts
        return Contact(phone: f.phone, fax: f.fax, email: f.email, url: f.url, preferred: f.preferredContact, onCall: onCall)
    }

    enum CodingKeys: String, CodingKey {
        case providerID, officialID, source, name, kind, service, distanceM, lat, lon, locationLevel, status, basis, covered, nextChange, contact, area, notes, registration, sources
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(providerID, forKey: .providerID)
        try c.encode(officialID, forKey: .officialID)
        try c.encode(source, forKey: .source)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encode(service, forKey: .service)
        try c.encodeIfPresent(distanceM, forKey: .distanceM)
        try c.encodeIfPresent(lat, forKey: .lat)
        try c.encodeIfPresent(lon, forKey: .lon)
        try c.encodeIfPresent(locationLevel, forKey: .locationLevel)
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(basis, forKey: .basis)
        try c.encode(covered, forKey: .covered)
        try c.encodeIfPresent(nextChange, forKey: .nextChange)
        try c.encode(contact, forKey: .contact)
        try c.encode(area, forKey: .area)
        try c.encode(notes, forKey: .notes)
        try c.encodeIfPresent(registration, forKey: .registration)
        try c.encode(sources, forKey: .sources)
    }
}

/// Why a nearby provider does not qualify (with `explain`).
public enum ExclusionReason: String, Sendable, Codable, CaseIterable {
    case outsideArea = "outside_area", beyondLegalRadius = "beyond_legal_radius", locationUnknown = "location_unknown"
    case closedInWindow = "closed_in_window", onCallExpired = "on_call_expired"
}

public struct Exclusion: Sendable, Codable {
    public var reason: ExclusionReason
    public var detail: String
    public var providerID: Int64
    public var name: String
    public var service: ServiceKind
    public var distanceM: Double?
}

public struct CoverageAnswer: Sendable, Encodable {
    public var municipalityCode: String?
    public var municipality: String?
    public var town: String?
    public var window: CoveredWindowEcho
    public var total: Int
    public var excluded: [Exclusion]?
    /// The page in order. An entry a plan vouches for is kept as its memo number and distance and
    /// written out when read (see ``entry(at:)``): a presenter that keeps what it wrote of a memo
    /// never needs it.
    public let page: [PageEntry]
    let source: AnswerSource

    public struct CoveredWindowEcho: Sendable, Codable { public var from: Date; public var to: Date }

    /// The page's entries, each written out.
    public var results: [CoverageEntry] { page.indices.compactMap(entry(at:)) }

    /// The page's `i`th entry written out; nil only if a plan vouched for a provider whose area
    /// does not cover the point after all (a bug the plan tests look for: the entry is then left
    /// out rather than shown with a wrong area).
    public func entry(at i: Int) -> CoverageEntry? { page[i].written ?? source.entry(page[i]) }

    /// The datasets the page's entries come from.
    public var datasets: [SourceRef] { sourceRefs(Set(results.flatMap { $0.sources.map(\.dataset) })) }

    /// The datasets of these ids, in order of id.
    public func sourceRefs(_ ids: Set<Int64>) -> [SourceRef] { source.index.sourceRefs(Array(ids)) }

    enum CodingKeys: String, CodingKey { case municipalityCode, municipality, town, window, total, excluded, results, datasets }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(municipalityCode, forKey: .municipalityCode)
        try c.encodeIfPresent(municipality, forKey: .municipality)
        try c.encodeIfPresent(town, forKey: .town)
        try c.encode(window, forKey: .window)
        try c.encode(total, forKey: .total)
        try c.encodeIfPresent(excluded, forKey: .excluded)
        let entries = results  // written out once for both members
        try c.encode(entries, forKey: .results)
        try c.encode(sourceRefs(Set(entries.flatMap { $0.sources.map(\.dataset) })), forKey: .datasets)
    }
}

/// One entry of an answer's page.
public struct PageEntry: Sendable {
    /// Entries with the same memo number (> 0) are the same but for `distanceM`, for as long as
    /// the index that answered lives; 0: this entry only.
    public let memo: Int
    public let distanceM: Double?
    /// Written out at once (memo 0). Boxed: an entry is a few hundred bytes, and a page of them
    /// inline made every page a large allocation, mostly of memo entries that need none.
    private let box: WrittenEntry?
    let provider: Int32
    let service: ServiceKind
    let plan: Int32
    let timeline: Int32

    var written: CoverageEntry? { box?.entry }

    init(memo: Int, distanceM: Double?, written: CoverageEntry?, provider: Int32, service: ServiceKind, plan: Int32, timeline: Int32) {
        self.memo = memo
        self.distanceM = distanceM
        box = written.map(WrittenEntry.init)
        self.provider = provider
        self.service = service
        self.plan = plan
        self.timeline = timeline
    }

    final class WrittenEntry: Sendable {
        let entry: CoverageEntry
        init(_ entry: CoverageEntry) { self.entry = entry }
    }
}

/// What an answer needs to write out the entries of its page that a plan vouches for.
final class AnswerSource: Sendable {
    let index: CoverageIndex
    let query: CoverageQuery
    let place: CoverageIndex.Place
    let plans: [CellPlan]

    init(index: CoverageIndex, query: CoverageQuery, place: CoverageIndex.Place, plans: [CellPlan]) {
        self.index = index
        self.query = query
        self.place = place
        self.plans = plans
    }

    func entry(_ e: PageEntry) -> CoverageEntry? {
        // A plan's qualified providers serve every point of its cell and have no on-call report.
        index.entry(provider: e.provider, service: e.service, distance: e.distanceM, timeline: plans[Int(e.plan)].timelines[Int(e.timeline)],
                    q: query, place: place, report: nil)
    }
}
