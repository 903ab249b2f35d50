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

public struct CoveredInterval: Sendable, Codable, Hashable {
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
    /// The provider's own note for coordinators (declared at the desk).
    public var note: String?
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
    /// The provider's own declarations the answer for this service rests on, with their confirmation.
    public var declared: [DeclaredRef] = []

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
        return Contact(phone: f.phone, fax: f.fax, email: f.email, url: f.url, preferred: f.preferredContact, onCall: onCall, note: f.contactNote)
    }

    enum CodingKeys: String, CodingKey {
        case providerID, officialID, source, name, kind, service, distanceM, lat, lon, locationLevel, status, basis, covered, nextChange, contact, area, notes, registration, sources
        case declared
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
        if !declared.isEmpty { try c.encode(declared, forKey: .declared) }
    }
}

/// A declaration an answer used: which fact, when it was last confirmed, and whether it is stale
/// (then the answer is `unknown`, see the notes).
public struct DeclaredRef: Sendable, Codable, Equatable {
    /// `hours`, `area` or `capabilities`.
    public var fact: String
    public var confirmedAt: Date
    /// Calendar days in Japan since the confirmation: 0 is today.
    public var daysSinceConfirmed: Int
    public var stale: Bool
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
    /// The page in order.
    public let page: [PageEntry]
    /// The datasets the page's entries come from, in order of id.
    public let datasets: [SourceRef]

    /// The window answered; `night` the evening's date (`2026-12-05`) when it is (the rest of) a night.
    public struct CoveredWindowEcho: Sendable, Codable {
        public var from: Date
        public var to: Date
        public var night: String?
    }

    init(municipalityCode: String?, municipality: String?, town: String?, window: CoveredWindowEcho, total: Int, excluded: [Exclusion]?,
         page: [PageEntry]) {
        self.municipalityCode = municipalityCode
        self.municipality = municipality
        self.town = town
        self.window = window
        self.total = total
        self.excluded = excluded
        self.page = page
        datasets = SourceRef.union(page)
    }

    /// The page's entries.
    public var results: [CoverageEntry] { page.map(\.entry) }

    enum CodingKeys: String, CodingKey { case municipalityCode, municipality, town, window, total, excluded, results, datasets }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(municipalityCode, forKey: .municipalityCode)
        try c.encodeIfPresent(municipality, forKey: .municipality)
        try c.encodeIfPresent(town, forKey: .town)
        try c.encode(window, forKey: .window)
        try c.encode(total, forKey: .total)
        try c.encodeIfPresent(excluded, forKey: .excluded)
        try c.encode(results, forKey: .results)
        try c.encode(datasets, forKey: .datasets)
    }
}

/// One entry of an answer's page.
public struct PageEntry: Sendable {
    /// Entries with the same memo number (> 0) are the same but for `distanceM`, for as long as
    /// the index that answered lives (a presenter may write such an entry once and copy it); 0: this
    /// entry only.
    public let memo: Int
    public let distanceM: Double?
    /// The entry as written (for a memo, at whichever point wrote it first: its distance is this
    /// page entry's `distanceM`). Boxed: an entry is a few hundred bytes, and a page of them inline
    /// made every page a large allocation.
    let written: Written

    /// The entry, with this page's distance.
    public var entry: CoverageEntry {
        guard memo > 0 else { return written.entry }
        var e = written.entry
        e.distanceM = distanceM
        return e
    }

    init(memo: Int, distanceM: Double?, written: Written) {
        self.memo = memo
        self.distanceM = distanceM
        self.written = written
    }

    final class Written: Sendable {
        let entry: CoverageEntry
        init(_ entry: CoverageEntry) { self.entry = entry }
    }
}

extension SourceRef {
    /// The datasets of a page's entries, each once, in order of id. A page cites a handful: a
    /// linear search of those found beats hashing, and each is copied once.
    static func union(_ page: [PageEntry]) -> [SourceRef] {
        // By index and id: a loop over the elements copied each reference (four strings) to compare one number.
        var refs: [SourceRef] = []
        for p in page.indices {
            let sources = page[p].written.entry.sources
            for k in sources.indices where !refs.contains(where: { $0.dataset == sources[k].dataset }) { refs.append(sources[k]) }
        }
        refs.sort { $0.dataset < $1.dataset }
        return refs
    }
}
