import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiStore

/// A window of time `[from, to)`.
public struct CoverageWindow: Sendable, Equatable {
    public var from: Date
    public var to: Date

    public init(from: Date, to: Date) {
        self.from = from
        self.to = to
    }

    /// 18:00 of the date to 09:00 the next morning, Asia/Tokyo.
    public static func tonight(_ date: CivilDate) -> CoverageWindow {
        let start = Double(date.dayNumber * 86_400 + 18 * 3600 - 9 * 3600)
        return CoverageWindow(from: Date(timeIntervalSince1970: start), to: Date(timeIntervalSince1970: start + 15 * 3600))
    }

    /// Today's date in Tokyo.
    public static func tokyoDate(of instant: Date) -> CivilDate {
        CivilDate(dayNumber: Int(((instant.timeIntervalSince1970 + 9 * 3600) / 86_400).rounded(.down)))
    }
}

/// "Who covers this point for these services in this window?"
public struct CoverageQuery: Sendable {
    public var point: GeoPoint
    /// From the geocoder, when the point came from an address; otherwise found from the boundaries.
    public var municipalityCode: String?
    public var town: String?
    public var services: [ServiceKind]
    public var window: CoverageWindow
    public var limit: Int
    public var offset: Int
    public var explain: Bool
    /// The present, for telling active on-call reports from expired ones.
    public var now: Date

    public init(point: GeoPoint, municipalityCode: String? = nil, town: String? = nil, services: [ServiceKind], window: CoverageWindow,
                limit: Int = 20, offset: Int = 0, explain: Bool = false, now: Date = Date()) {
        self.point = point
        self.municipalityCode = municipalityCode
        self.town = town
        self.services = services
        self.window = window
        self.limit = limit
        self.offset = offset
        self.explain = explain
        self.now = now
    }
}

public enum CoverageStatus: String, Sendable, Codable { case covered, partial, unknown }

/// Where an availability comes from, strongest first.
public enum AvailabilityBasis: String, Sendable, Codable, Comparable {
    case capability, onCall = "on_call", hours

    var rank: Int { self == .capability ? 0 : self == .onCall ? 1 : 2 }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }
}

public struct CoveredInterval: Sendable, Codable, Equatable {
    public var from: Date
    public var to: Date
    public var basis: AvailabilityBasis
}

public struct AreaMatch: Sendable, Codable, Equatable {
    /// `radius`, `municipalities`, `towns`, `polygon`, `legal_radius` (16 km, no declared area),
    /// `home_municipality` (no declared area: the provider's own municipality).
    public var rule: String
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
    public var contact: Contact {
        let f = provider.facts
        return Contact(phone: f.phone, fax: f.fax, email: f.email, url: f.url, preferred: f.preferredContact, onCall: onCall)
    }

    enum CodingKeys: String, CodingKey {
        case providerID, officialID, source, name, kind, service, distanceM, lat, lon, status, basis, covered, nextChange, contact, area, notes, sources
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
        try c.encode(status, forKey: .status)
        try c.encodeIfPresent(basis, forKey: .basis)
        try c.encode(covered, forKey: .covered)
        try c.encodeIfPresent(nextChange, forKey: .nextChange)
        try c.encode(contact, forKey: .contact)
        try c.encode(area, forKey: .area)
        try c.encode(notes, forKey: .notes)
        try c.encode(sources, forKey: .sources)
    }
}

public struct Exclusion: Sendable, Codable {
    /// `outside_area`, `beyond_legal_radius`, `location_unknown`, `closed_in_window`, `on_call_expired`.
    public var reason: String
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
    public func entry(at i: Int) -> CoverageEntry? { page[i].built ?? source.entry(page[i]) }

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
    private let box: Built?
    let provider: Int32
    let service: ServiceKind
    let plan: Int32
    let timeline: Int32

    var built: CoverageEntry? { box?.entry }

    init(memo: Int, distanceM: Double?, built: CoverageEntry?, provider: Int32, service: ServiceKind, plan: Int32, timeline: Int32) {
        self.memo = memo
        self.distanceM = distanceM
        box = built.map(Built.init)
        self.provider = provider
        self.service = service
        self.plan = plan
        self.timeline = timeline
    }

    final class Built: Sendable {
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
        // A plan's sure providers qualify at every point of its cell and have no on-call report.
        index.entry(provider: e.provider, service: e.service, distance: e.distanceM, timeline: plans[Int(e.plan)].timelines[Int(e.timeline)],
                    q: query, place: place, report: nil)
    }
}

extension CoverageIndex {
    /// Answers a coverage query from memory.
    ///
    /// Points of one 0.01° cell share most of their answer for a service and window: the providers
    /// that qualify anywhere in the cell, their availability and their order. From the second query
    /// of a cell, service, municipality and window on, that is read from a ``CellPlan`` and only the
    /// providers at the edge of a distance limit (or with 町字 lists, drawn areas, on-call reports)
    /// are weighed one by one. Explanations and pages beyond what a plan keeps use the full scan,
    /// which gives the same answer (tested).
    public func answer(_ q: CoverageQuery, onCall: OnCallBoard) -> CoverageAnswer {
        // The 町字 waits for the plans, which know the few towns a point of their cell can be nearest to.
        let place = locate(q, town: false)
        let board = onCall.versionedSnapshot()
        if !q.explain, let answer = answerFromPlans(q, place, reports: board.reports, version: board.version) { return answer }
        return answerByScan(q, place.town(for: q, self, among: nil), reports: board.reports)
    }

    /// The query's municipality and 町字: the geocoder's where the point came from an address.
    struct Place: Sendable {
        /// The municipality's name, when the point lies in one.
        let name: String?
        let code: String?
        /// Nil also while not sought yet (see ``locate(_:town:)``).
        var town: String?
        /// The municipality's number in ``CoverageIndex/municipalityIndex`` (-2: none).
        let home: Int32
        var townSought: Bool

        /// The place with its 町字: the query's, or the nearest one's (among `candidates` of the
        /// municipality's towns where given).
        func town(for q: CoverageQuery, _ index: CoverageIndex, among candidates: [Int32]?) -> Place {
            guard !townSought else { return self }
            var p = self
            p.town = q.town ?? code.flatMap { index.nearestTown(to: q.point, in: $0, among: candidates) }
            p.townSought = true
            return p
        }
    }

    /// The query's municipality and (unless `town` is false) its 町字.
    func locate(_ q: CoverageQuery, town: Bool = true) -> Place {
        // By position in the list: copying a municipality (its boundary) retained shared arrays.
        let (name, found) = municipalities.withUnsafeBufferPointer { list -> (String?, String?) in
            // By index too: `firstIndex(where:)` hands the closure a copy of each municipality.
            let k = q.municipalityCode.flatMap { c in list.indices.first { list[$0].code == c } } ?? list.indices.first { list[$0].holds(q.point) }
            return (k.map { list[$0].name }, k.map { list[$0].code })
        }
        let code = q.municipalityCode ?? found
        let place = Place(name: name, code: code, town: nil, home: code.flatMap { municipalityIndex[$0] } ?? -2, townSought: false)
        return town ? place.town(for: q, self, among: nil) : place
    }

    /// One qualifying (provider, service): the sort key packs status, basis and distance
    /// (decimetres), so thousands of candidates compare as integers; the area, notes and report
    /// are worked out again only for the page.
    struct Ranked {
        var key: UInt64
        let provider: Int32
        let timeline: Int32
        let service: ServiceKind
        /// Which of the request's plans holds the timeline; -1: the request's own list.
        var plan: Int32 = -1
        /// The exact distance, once worked out for the page.
        var distance = Double.nan
        /// The ``EntryMemoNumbers`` number of a plan's sure provider; 0: none.
        var memo = 0
        /// The provider's location where the caller had it at hand (NaN: read it from ``hot``, a
        /// cache miss per provider).
        var lat = Double.nan, lon = Double.nan
        /// Its place in its plan's sure list (-1: none), where its reduced latitude is kept.
        var sure: Int32 = -1

        /// Where the provider is, nil when unknown.
        func location(_ hot: [Hot]) -> GeoPoint? {
            if !lat.isNaN { return GeoPoint(lon: lon, lat: lat) }
            let h = hot[Int(provider)]
            return h.located ? GeoPoint(lon: h.lon, lat: h.lat) : nil
        }
    }

    static func rankKey(status: Int, basis: Int, distance: Double?) -> UInt64 {
        rankKey(rank: UInt64(status) << 60 | UInt64(basis) << 54, distance: distance)
    }

    /// `rank`: the status and basis bits of ``rankKey(_:distance:)`` (see ``rank(_:)``).
    static func rankKey(rank: UInt64, distance: Double?) -> UInt64 {
        rank | (distance.map { UInt64(max(0, min($0 * 10, 1e14))) } ?? (1 << 50) - 1)
    }

    static func rank(_ t: Timeline) -> UInt64 { UInt64(statusRank(t.status!)) << 60 | UInt64(t.basis?.rank ?? 9) << 54 }

    static func rankKey(_ t: Timeline, distance: Double?) -> UInt64 { rankKey(rank: rank(t), distance: distance) }

    func precedes(_ a: Ranked, _ b: Ranked) -> Bool {
        if a.key != b.key { return a.key < b.key }
        let ia = providers[Int(a.provider)].facts.id, ib = providers[Int(b.provider)].facts.id
        return ia != ib ? ia < ib : a.service.rawValue < b.service.rawValue
    }

    /// The best `capacity` entries seen, sorted: only the head is shown, so thousands of qualifying
    /// providers are never sorted.
    struct Head {
        let capacity: Int
        private(set) var entries: [Ranked] = []

        init(capacity: Int) {
            self.capacity = capacity
            entries.reserveCapacity(capacity + 1)
        }

        var isFull: Bool { entries.count >= capacity }
        /// The key an entry must not exceed to get in (nil while there is room).
        var worstKey: UInt64? { isFull ? entries.last?.key : nil }

        /// The entries, left empty here: the caller then holds their only reference and can change
        /// them in place.
        mutating func take() -> [Ranked] {
            defer { entries = [] }
            return entries
        }

        mutating func offer(_ r: Ranked, _ index: CoverageIndex) {
            if isFull, let last = entries.last, !index.precedes(r, last) { return }
            var k = entries.count
            while k > 0, index.precedes(r, entries[k - 1]) { k -= 1 }
            entries.insert(r, at: k)
            if entries.count > capacity { entries.removeLast() }
        }
    }

    /// The note an on-call report adds to an entry: expired, and recent enough to matter.
    static func notes(_ r: OnCallReport?, from: Double, now: Date) -> [String] {
        if let r, r.endsAt <= now, r.endsAt.timeIntervalSince1970 > from - 86_400 { return ["on_call_expired"] }
        return []
    }

    static func report(_ reports: [Int64: OnCallReport], _ id: Int64, _ service: ServiceKind) -> OnCallReport? {
        reports.isEmpty ? nil : reports[id].flatMap { r in r.service == nil || r.service == service.rawValue ? r : nil }
    }

    /// Every candidate weighed one by one: the path for explanations, and the reference the plans
    /// are tested against.
    func answerByScan(_ q: CoverageQuery, _ place: Place, reports: [Int64: OnCallReport]) -> CoverageAnswer {
        let from = q.window.from.timeIntervalSince1970, to = q.window.to.timeIntervalSince1970
        let code = place.code
        let requested = Set(q.services)

        // Candidates: by distance where a distance can qualify (medical visits, radius areas), by
        // municipality where a list or the home municipality can, and every drawn polygon. With
        // explain, everything placed nearby too, to say why it did not qualify. A bit per provider
        // keeps each candidate once.
        var set = CandidateSet(providerCount: providers.count)
        for s in requested {
            let radius = max(s == .homeVisitMedical ? settings.medicalRadiusM : 0, largestRadiusM)
            if radius > 0 { distanceCells[s.ordinal]?.forEach(near: q.point, metres: radius) { set.add($0) } }
        }
        if q.explain { set.add(nearby(q.point, metres: min(settings.searchRadiusM, 20_000))) }
        if let code {
            for s in requested { set.add(byAreaMunicipality[s]?[code] ?? []) }
            for s in requested { set.add(byHomeMunicipality[s]?[code] ?? []) }
        }
        set.add(polygonProviders)
        let candidates = set.members

        var ranked: [Ranked] = []
        var exclusions: [Exclusion] = []
        var groupTimeline = [Int32](repeating: -1, count: groupKeys.count)
        var timelineList: [Timeline] = []
        let reported = Set(reports.keys.compactMap { index(of: $0) })
        let services = Array(requested).sorted { $0.rawValue < $1.rawValue }.map { (service: $0, ordinal: $0.ordinal, bit: $0.bit) }
        let wanted = services.reduce(UInt16(0)) { $0 | $1.bit }
        let width = ServiceKind.allCases.count
        let around = Geodesic.Around(q.point)
        // With one service, providers that list the point's municipality for it are matched by a bit,
        // not by reading their areas.
        var listed: [UInt64] = []
        if services.count == 1, let code {
            listed = [UInt64](repeating: 0, count: providers.count / 64 + 1)
            for i in byListedMunicipality[services[0].service]?[code] ?? [] { listed[Int(i) >> 6] |= 1 << UInt64(Int(i) & 63) }
        }
        for i in candidates {
            // The packed facts decide the common cases; the provider object is read only for declared
            // areas, on-call reports, a new availability group, and exclusions to explain.
            let h = hot[Int(i)]
            guard h.services & wanted != 0 else { continue }
            let location = h.located ? GeoPoint(lon: h.lon, lat: h.lat) : nil
            // The short-range approximation (within a metre of the geodesic) ranks; decisions within
            // 2 m of a limit and the reported distances use the exact one.
            let distance = location.map { around.distance(to: $0) }
            for (service, ordinal, bit) in services where h.services & bit != 0 {
                func exclude(_ reason: String, _ detail: @autoclosure () -> String) {
                    guard q.explain, (distance ?? 0) <= 20_000 || reason == "closed_in_window" || reason == "on_call_expired" else { return }
                    let p = providers[Int(i)]
                    exclusions.append(Exclusion(reason: reason, detail: detail(), providerID: p.facts.id, name: p.facts.name, service: service, distanceM: distance.map(Self.round)))
                }
                switch refusal(i, h, service: service, bit: bit, distance: distance, point: q.point, place: place, listed: listed) {
                case .locationUnknown?: exclude("location_unknown", "所在地の座標が不明なため 16 km 要件を確認できません"); continue
                case .beyondLegalRadius(let d)?:
                    exclude("beyond_legal_radius", "直線距離 \(String(format: "%.1f", d / 1000)) km が往診・訪問診療の上限 \(Int(settings.medicalRadiusM / 1000)) km を超えています")
                    continue
                case .outsideArea(let declared)?:
                    exclude("outside_area", declared ? "通常の事業の実施地域の外です" : "実施地域の登録がなく、所在市区町村の外です")
                    continue
                case nil: break
                }
                var timelineID: Int32
                let report = reported.contains(i) ? Self.report(reports, providers[Int(i)].facts.id, service) : nil
                if let report, report.endsAt > q.now {
                    timelineList.append(availability(providers[Int(i)], service: service, from: from, to: to, report: report, now: q.now))
                    timelineID = Int32(timelineList.count - 1)
                } else {
                    let group = groups[Int(i) * width + ordinal]
                    if group == Self.ungrouped || groupTimeline[Int(group)] < 0 {
                        timelineList.append(availability(providers[Int(i)], service: service, from: from, to: to, report: nil, now: q.now))
                        timelineID = Int32(timelineList.count - 1)
                        if group != Self.ungrouped { groupTimeline[Int(group)] = timelineID }
                    } else {
                        timelineID = groupTimeline[Int(group)]
                    }
                }
                guard timelineList[Int(timelineID)].status != nil else {
                    let expired = !Self.notes(report, from: from, now: q.now).isEmpty
                    exclude(expired ? "on_call_expired" : "closed_in_window",
                            expired ? "当番の報告は期限切れです。公開されている時間は期間内すべて休みです" : "公開されている時間では期間内すべて休みです")
                    continue
                }
                ranked.append(Ranked(key: Self.rankKey(timelineList[Int(timelineID)], distance: distance), provider: i, timeline: timelineID, service: service))
            }
        }
        var head = Head(capacity: min(ranked.count, q.offset + q.limit + 16))
        for r in ranked { head.offer(r, self) }
        exclusions.sort { ($0.distanceM ?? .infinity, $0.providerID) < ($1.distanceM ?? .infinity, $1.providerID) }
        return finish(q, place, head: head.take(), total: ranked.count, exclusions: q.explain ? Array(exclusions.prefix(200)) : nil,
                      reports: reports) { timelineList[Int($0.timeline)] }
    }

    enum Refusal { case locationUnknown, beyondLegalRadius(Double), outsideArea(declared: Bool) }

    /// Why provider `i`, `distance` metres away (the approximation), does not qualify for the service
    /// at the point by its legal rule and service area — nil when it does. `listed` optionally holds
    /// a bit for each provider whose municipality list names the point's municipality.
    func refusal(_ i: Int32, _ h: Hot, service: ServiceKind, bit: UInt16, distance: Double?, point: GeoPoint, place: Place,
                 listed: [UInt64] = []) -> Refusal? {
        // The service's legal rule first: medical home visits within the straight-line limit.
        if service == .homeVisitMedical {
            guard var d = distance, h.located else { return .locationUnknown }
            if abs(d - settings.medicalRadiusM) < 2 { d = Geodesic.distance(GeoPoint(lon: h.lon, lat: h.lat), point) }
            if d > settings.medicalRadiusM { return .beyondLegalRadius(d) }
        }
        if h.declared & (bit | Hot.everyService) == 0 {
            // No declared area: the legal radius (checked above) or the own municipality.
            return service == .homeVisitMedical || h.home == place.home ? nil : .outsideArea(declared: false)
        }
        if !listed.isEmpty, listed[Int(i) >> 6] & (1 << UInt64(Int(i) & 63)) != 0 { return nil }
        return areaMatch(providers[Int(i)], service: service, point: point, distance: distance, code: place.code, town: place.town) == nil
            ? .outsideArea(declared: true) : nil
    }

    /// The shown page from the best entries: ordered by exact distances (the approximation could
    /// swap near-ties), with contact, area and sources.
    func finish(_ q: CoverageQuery, _ place: Place, head: consuming [Ranked], total: Int, exclusions: [Exclusion]?,
                reports: [Int64: OnCallReport], plans: [CellPlan] = [], timeline: (Ranked) -> Timeline) -> CoverageAnswer {
        // Exact distances for the entries that can reach the page: the first `shown` by the
        // approximation (within a metre of the exact), and any others within 4 m of the last of them.
        let shown = q.offset + q.limit
        let last = head.count > shown ? head[shown - 1].key : UInt64.max
        // The query's half of Vincenty's set-up once; a plan's sure providers bring their own half.
        let toward = Geodesic.Toward(q.point)
        func exact(_ r: Ranked, _ location: GeoPoint) -> Double {
            guard r.sure >= 0 else { return toward.distance(from: location) }
            let s = plans[Int(r.plan)].sure[Int(r.sure)]
            return toward.distance(from: location, sinU1: s.sinU, cosU1: s.cosU)
        }
        // In place (the head is handed over, not shared): a copy was an allocation per lookup.
        for k in head.indices {
            let r = head[k]
            guard k < shown || (r.key >> 54 == last >> 54 && r.key <= last + 40), let location = r.location(hot) else { continue }
            let d = exact(r, location)
            head[k].key = Self.rankKey(status: Int(r.key >> 60), basis: Int(r.key >> 54 & 0x3f), distance: d)
            head[k].distance = d
        }
        head.sort(by: precedes)
        let page: [PageEntry] = head.dropFirst(q.offset).prefix(q.limit).compactMap { r -> PageEntry? in
            let distance = r.distance.isNaN ? r.location(hot).map { exact(r, $0) } : r.distance
            if r.memo > 0 {
                return PageEntry(memo: r.memo, distanceM: distance.map(Self.round), built: nil, provider: r.provider, service: r.service,
                                 plan: r.plan, timeline: r.timeline)
            }
            let report = reports.isEmpty ? nil : Self.report(reports, providers[Int(r.provider)].facts.id, r.service)
            guard let e = entry(provider: r.provider, service: r.service, distance: distance.map(Self.round), timeline: timeline(r),
                                q: q, place: place, report: report, exactDistance: distance)
            else { return nil }
            return PageEntry(memo: 0, distanceM: e.distanceM, built: e, provider: r.provider, service: r.service, plan: r.plan, timeline: r.timeline)
        }
        return CoverageAnswer(
            municipalityCode: place.code, municipality: place.name, town: place.town, window: .init(from: q.window.from, to: q.window.to),
            total: total, excluded: exclusions, page: page, source: AnswerSource(index: self, query: q, place: place, plans: plans))
    }

    /// One entry of a page, or nil where the provider's area does not cover the point after all
    /// (the rule of the first pass, with the exact distance near any limit).
    func entry(provider i: Int32, service: ServiceKind, distance rounded: Double?, timeline: Timeline, q: CoverageQuery, place: Place,
               report: OnCallReport?, exactDistance: Double? = nil) -> CoverageEntry? {
        // What the entry needs of its provider comes from the packed facts where they suffice: each
        // field read from the provider's record was a cache miss of its own.
        let p = providers[Int(i)], h = hot[Int(i)]
        let distance = exactDistance ?? rounded
        guard let area = h.declared & (service.bit | Hot.everyService) == 0
            ? undeclaredArea(service: service, distance: distance, code: place.code, home: h.home >= 0 && h.home == place.home)
            : areaMatch(p, service: service, point: q.point, distance: distance, code: place.code, town: place.town) else { return nil }
        var sourceIDs = [h.dataset >= 0 ? Int64(h.dataset) : p.facts.datasetID]
        if let d = area.dataset { sourceIDs.append(d) }
        if h.hoursElsewhere {
            for hours in p.hours where hours.service == nil || hours.service == service { sourceIDs.append(hours.datasetID) }
        }
        return CoverageEntry(
            provider: p, service: service, distanceM: rounded, status: timeline.status!, basis: timeline.basis,
            covered: timeline.covered, nextChange: timeline.nextChange, onCall: report.flatMap { $0.endsAt > q.now ? $0.contact : nil },
            area: areaTexts.describe(area.match), notes: Self.notes(report, from: q.window.from.timeIntervalSince1970, now: q.now),
            sources: sourceRefs(sourceIDs))
    }
    struct TimelineKey: Hashable, Sendable {
        let hoursSet: Int32
        let capability: Bool
        let night: Bool
    }

    static func statusRank(_ s: CoverageStatus) -> Int { s == .covered ? 0 : s == .partial ? 1 : 2 }
    static func round(_ d: Double) -> Double { (d * 10).rounded() / 10 }

    func sourceRefs(_ ids: [Int64]) -> [SourceRef] {
        // A few ids per entry: sorted and deduplicated in place, no set.
        var refs: [SourceRef] = []
        for id in ids.sorted() where refs.last?.dataset != id {
            if let d = datasets[id] {
                refs.append(SourceRef(dataset: id, sourceKind: d.sourceKind, file: d.fileName, referenceDate: d.referenceDate, loadedAt: d.loadedAt))
            }
        }
        return refs
    }

    /// The service area rule that covers the point, if any.
    /// Which rule matched, kept as data: the Japanese detail is written for the shown page only.
    enum MatchedArea {
        case radius(Double), municipalities(String), towns(String), polygon, legalRadius, homeMunicipality(String)

        func describe(_ settings: Settings) -> AreaMatch {
            switch self {
            case .radius(let r): AreaMatch(rule: "radius", detail: "事業所から半径 \(Int(r)) m 以内")
            case .municipalities(let code): AreaMatch(rule: "municipalities", detail: "実施地域の市区町村 \(code) に含まれます")
            case .towns(let town): AreaMatch(rule: "towns", detail: "実施地域の町字「\(town)」に含まれます")
            case .polygon: AreaMatch(rule: "polygon", detail: "登録された実施地域の範囲内です")
            case .legalRadius: AreaMatch(rule: "legal_radius", detail: "実施地域の登録がなく、往診・訪問診療の上限 \(Int(settings.medicalRadiusM / 1000)) km 以内")
            case .homeMunicipality(let code): AreaMatch(rule: "home_municipality", detail: "実施地域の登録がなく、事業所の所在市区町村（\(code)）")
            }
        }
    }

    /// The rule for a provider that declares no area for the service: the legal radius for medical
    /// visits, its own municipality otherwise. `home`: whether that is the point's municipality.
    func undeclaredArea(service: ServiceKind, distance: Double?, code: String?, home: Bool) -> (match: MatchedArea, dataset: Int64?)? {
        if service == .homeVisitMedical, let d = distance, d <= settings.medicalRadiusM { return (.legalRadius, nil) }
        if service != .homeVisitMedical, let code, home { return (.homeMunicipality(code), nil) }
        return nil
    }

    func areaMatch(_ p: Provider, service: ServiceKind, point: GeoPoint, distance: Double?, code: String?, town: String?)
        -> (match: MatchedArea, dataset: Int64?)? {
        var declared = false
        for a in p.areas where a.service == nil || a.service == service {
            declared = true
            switch a.rule {
            case .radius(let r):
                if var d = distance {
                    if abs(d - r) < 2, let loc = p.facts.location { d = Geodesic.distance(loc, point) }
                    if d <= r { return (.radius(r), a.datasetID) }
                }
            case .municipalities(let codes):
                if let code, codes.contains(code) { return (.municipalities(code), a.datasetID) }
            case .towns(let towns):
                if let code, let town, towns.contains(code + "/" + town) { return (.towns(town), a.datasetID) }
            case .polygon(let g, let box):
                if point.lon >= box.minLon, point.lon <= box.maxLon, point.lat >= box.minLat, point.lat <= box.maxLat, g.contains(point) {
                    return (.polygon, a.datasetID)
                }
            }
        }
        guard !declared else { return nil }
        return undeclaredArea(service: service, distance: distance, code: code, home: code != nil && p.facts.municipalityCode == code)
    }

    struct Timeline {
        var status: CoverageStatus?
        var basis: AvailabilityBasis?
        var covered: [CoveredInterval]
        var nextChange: Date?
    }

    /// Availability over [from, to) from the three layers; nil status when published hours say
    /// closed for the whole window and nothing else speaks.
    func availability(_ p: Provider, service: ServiceKind, from: Double, to: Double, report: OnCallReport?, now: Date) -> Timeline {
        enum Piece { case covered(AvailabilityBasis), unknown, closed }
        // Each layer: intervals in seconds with what they say.
        var layers: [(Double, Double, Piece)] = []
        if Self.capabilityCovers(p, service) {
            layers.append((from, to, .covered(.capability)))
        } else if service == .nightHomeCare {
            // 夜間対応型訪問介護 is by definition a night service: 18:00–08:00 every night.
            let rules = try! OpeningHours("Mo-Su 18:00-08:00")
            for i in rules.intervals(from: Date(timeIntervalSince1970: from), to: Date(timeIntervalSince1970: to)) where i.state == .open {
                layers.append((i.from.timeIntervalSince1970, i.to.timeIntervalSince1970, .covered(.capability)))
            }
        }
        if let r = report, r.endsAt > now {
            let a = max(from, r.startsAt.timeIntervalSince1970), b = min(to, r.endsAt.timeIntervalSince1970)
            if b > a { layers.append((a, b, .covered(.onCall))) }
        }
        let hours = p.hours.filter { $0.service == nil || $0.service == service }
        for h in hours {
            for i in rules[Int(h.rules)].intervals(from: Date(timeIntervalSince1970: from), to: Date(timeIntervalSince1970: to)) {
                let piece: Piece = i.state == .open ? .covered(.hours) : i.state == .unknown ? .unknown : .closed
                layers.append((i.from.timeIntervalSince1970, i.to.timeIntervalSince1970, piece))
            }
        }
        let nothingKnown = hours.isEmpty
        var cuts = Set([from, to])
        for l in layers { cuts.insert(l.0); cuts.insert(l.1) }
        let points = cuts.sorted()
        var covered: [CoveredInterval] = []
        var coveredSeconds = 0.0, unknownSeconds = 0.0
        var states: [(Double, Bool)] = []
        for k in 0..<(points.count - 1) {
            let a = points[k], b = points[k + 1]
            let mid = (a + b) / 2
            var best: AvailabilityBasis?
            var unknown = nothingKnown
            for l in layers where l.0 <= mid && mid < l.1 {
                switch l.2 {
                case .covered(let basis): best = best.map { min($0, basis) } ?? basis
                case .unknown: unknown = true
                case .closed: break
                }
            }
            states.append((a, best != nil))
            if let best {
                coveredSeconds += b - a
                if let last = covered.last, last.to.timeIntervalSince1970 == a, last.basis == best {
                    covered[covered.count - 1].to = Date(timeIntervalSince1970: b)
                } else {
                    covered.append(CoveredInterval(from: Date(timeIntervalSince1970: a), to: Date(timeIntervalSince1970: b), basis: best))
                }
            } else if unknown {
                unknownSeconds += b - a
            }
        }
        var next: Date?
        for k in 1..<max(1, states.count) where states[k].1 != states[k - 1].1 {
            next = Date(timeIntervalSince1970: states[k].0)
            break
        }
        let status: CoverageStatus? = coveredSeconds >= to - from ? .covered : coveredSeconds > 0 ? .partial : unknownSeconds > 0 ? .unknown : nil
        return Timeline(status: status, basis: covered.map(\.basis).min(), covered: covered, nextChange: next)
    }

    /// Registrations that imply round-the-clock availability for a service.
    static func capabilityCovers(_ p: Provider, _ s: ServiceKind) -> Bool { capabilityCovers(p.capabilities, s) }
}

extension CoverageIndex {
    /// Whether at least one provider covers the point for the service over the whole window — the
    /// question the gap layers ask of every mesh cell. Stops at the first; `cache` keeps shared
    /// availabilities across calls with the same window.
    public func anyCovers(_ point: GeoPoint, service: ServiceKind, window: CoverageWindow, onCall: [Int64: OnCallReport],
                          now: Date, cache: inout [Int: CoverageStatus?]) -> Bool {
        let from = window.from.timeIntervalSince1970, to = window.to.timeIntervalSince1970
        let place = municipality(containing: point)
        let code = place?.code
        let town = code.flatMap { nearestTown(to: point, in: $0) }
        var candidates: [Int32] = nearby(point, metres: max(service == .homeVisitMedical ? settings.medicalRadiusM : 0, largestRadiusM), service: service)
        if let code {
            candidates += byAreaMunicipality[service]?[code] ?? []
            candidates += byHomeMunicipality[service]?[code] ?? []
        }
        candidates += polygonProviders
        for i in candidates {
            let p = providers[Int(i)]
            guard p.services.contains(service) else { continue }
            let distance = p.facts.location.map { Geodesic.approximate($0, point) }
            if service == .homeVisitMedical { guard let d = distance, d <= settings.medicalRadiusM else { continue } }
            guard areaMatch(p, service: service, point: point, distance: distance, code: code, town: town) != nil else { continue }
            if let r = onCall[p.facts.id], r.service == nil || r.service == service.rawValue, r.endsAt > now {
                if availability(p, service: service, from: from, to: to, report: r, now: now).status == .covered { return true }
                continue
            }
            let group = groups[Int(i) * ServiceKind.allCases.count + service.ordinal]
            let key = group == Self.ungrouped ? -1 - Int(i) : Int(group)
            let status: CoverageStatus?
            if let cached = cache[key] { status = cached } else {
                status = availability(p, service: service, from: from, to: to, report: nil, now: now).status
                cache[key] = status
            }
            if status == .covered { return true }
        }
        return false
    }

    /// The municipality (code, name, prefecture) whose boundary holds a point.
    public func municipalityOf(_ point: GeoPoint) -> (code: String, name: String)? {
        municipality(containing: point).map { ($0.code, $0.name) }
    }

    /// Every loaded municipality with its boundary.
    public var municipalityShapes: [(code: String, prefecture: String, name: String, boundary: Geometry)] {
        municipalities.map { ($0.code, $0.prefecture, $0.name, $0.boundary) }
    }

    /// How many providers offer each service, per municipality (by the provider's own municipality).
    public func providerCounts() -> [String: [ServiceKind: Int]] {
        var counts: [String: [ServiceKind: Int]] = [:]
        for p in providers {
            guard let code = p.facts.municipalityCode else { continue }
            for s in p.services { counts[code, default: [:]][s, default: 0] += 1 }
        }
        return counts
    }

    public func dataset(_ id: Int64) -> SourceRef? { sourceRefs([id]).first }

    /// The datasets the providers come from.
    public var providerDatasetIDs: Set<Int64> { Set(providers.map(\.facts.datasetID)) }
}

/// Provider numbers gathered once each, in the order first seen: a bit per provider says which are in.
/// A struct, not captured variables: a closure over them paid a dynamic exclusivity check per add.
struct CandidateSet {
    private var seen: [UInt64]
    private(set) var members: [Int32] = []

    init(providerCount: Int) { seen = [UInt64](repeating: 0, count: providerCount / 64 + 1) }

    mutating func add<List: Sequence<Int32>>(_ list: List) {
        for i in list where seen[Int(i) >> 6] & (1 << UInt64(Int(i) & 63)) == 0 {
            seen[Int(i) >> 6] |= 1 << UInt64(Int(i) & 63)
            members.append(i)
        }
    }
}
