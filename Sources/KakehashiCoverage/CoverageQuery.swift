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

public struct CoverageEntry: Sendable, Codable {
    public var providerID: Int64
    public var officialID: String
    public var source: String
    public var name: String
    public var kind: String
    public var service: ServiceKind
    public var distanceM: Double?
    /// Where the provider is (WGS84), so a client can place it on a map; nil when unknown.
    public var lat: Double?
    public var lon: Double?
    public var status: CoverageStatus
    public var basis: AvailabilityBasis?
    public var covered: [CoveredInterval]
    public var nextChange: Date?
    public var contact: Contact
    public var area: AreaMatch
    public var notes: [String]
    public var sources: [SourceRef]
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

public struct CoverageAnswer: Sendable, Codable {
    public var municipalityCode: String?
    public var municipality: String?
    public var town: String?
    public var window: CoveredWindowEcho
    public var total: Int
    public var results: [CoverageEntry]
    public var excluded: [Exclusion]?
    public var datasets: [SourceRef]

    public struct CoveredWindowEcho: Sendable, Codable { public var from: Date; public var to: Date }
}

extension CoverageIndex {
    /// Answers a coverage query from memory.
    ///
    /// Every candidate is ranked on light records; full entries (contact, sources) are built for the
    /// returned page only. Availability is computed once per distinct combination of hours rules and
    /// capability in the request, since many providers share their hours.
    public func answer(_ q: CoverageQuery, onCall: OnCallBoard) -> CoverageAnswer {
        let from = q.window.from.timeIntervalSince1970, to = q.window.to.timeIntervalSince1970
        let place = q.municipalityCode.flatMap { municipality(code: $0) } ?? municipality(containing: q.point)
        let code = q.municipalityCode ?? place?.code
        let town = q.town ?? code.flatMap { nearestTown(to: q.point, in: $0) }
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

        // One compact entry per qualifying (provider, service): the sort key packs status, basis and
        // distance (decimetres), so thousands of candidates sort as integers; the area, notes and
        // report are worked out again only for the page.
        struct Ranked {
            let key: UInt64
            let provider: Int32
            let timeline: Int32
            let service: ServiceKind
        }
        func key(status: Int, basis: Int, distance: Double?) -> UInt64 {
            let d = distance.map { UInt64(max(0, min($0 * 10, 1e14))) } ?? (1 << 50) - 1
            return UInt64(status) << 60 | UInt64(basis) << 54 | d
        }
        var ranked: [Ranked] = []
        var exclusions: [Exclusion] = []
        var groupTimeline = [Int32](repeating: -1, count: groupKeys.count)
        var timelineList: [Timeline] = []
        let reports = onCall.snapshot()
        let reported = Set(reports.keys.compactMap { index(of: $0) })
        func report(_ p: Provider, _ service: ServiceKind) -> OnCallReport? {
            reports.isEmpty ? nil : reports[p.facts.id].flatMap { r in r.service == nil || r.service == service.rawValue ? r : nil }
        }
        func notes(_ r: OnCallReport?) -> [String] {
            if let r, r.endsAt <= q.now, r.endsAt.timeIntervalSince1970 > from - 86_400 { return ["on_call_expired"] }
            return []
        }
        let services = Array(requested).sorted { $0.rawValue < $1.rawValue }.map { (service: $0, ordinal: $0.ordinal, bit: $0.bit) }
        let wanted = services.reduce(UInt16(0)) { $0 | $1.bit }
        let home = code.flatMap { municipalityIndex[$0] } ?? -2
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
                // The service's legal rule first: medical home visits within the straight-line limit.
                if service == .homeVisitMedical {
                    guard var d = distance, let location else { exclude("location_unknown", "所在地の座標が不明なため 16 km 要件を確認できません"); continue }
                    if abs(d - settings.medicalRadiusM) < 2 { d = Geodesic.distance(location, q.point) }
                    if d > settings.medicalRadiusM {
                        exclude("beyond_legal_radius", "直線距離 \(String(format: "%.1f", d / 1000)) km が往診・訪問診療の上限 \(Int(settings.medicalRadiusM / 1000)) km を超えています")
                        continue
                    }
                }
                if h.declared & (bit | Hot.everyService) == 0 {
                    // No declared area: the legal radius (checked above) or the own municipality.
                    guard service == .homeVisitMedical || h.home == home else {
                        exclude("outside_area", "実施地域の登録がなく、所在市区町村の外です")
                        continue
                    }
                } else if !listed.isEmpty, listed[Int(i) >> 6] & (1 << UInt64(Int(i) & 63)) != 0 {
                    // Its declared municipality list holds the point's municipality.
                } else {
                    guard areaMatch(providers[Int(i)], service: service, point: q.point, distance: distance, code: code, town: town) != nil else {
                        exclude("outside_area", "通常の事業の実施地域の外です")
                        continue
                    }
                }
                var timelineID: Int32
                let report = reported.contains(i) ? report(providers[Int(i)], service) : nil
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
                guard let status = timelineList[Int(timelineID)].status else {
                    let expired = !notes(report).isEmpty
                    exclude(expired ? "on_call_expired" : "closed_in_window",
                            expired ? "当番の報告は期限切れです。公開されている時間は期間内すべて休みです" : "公開されている時間では期間内すべて休みです")
                    continue
                }
                ranked.append(Ranked(key: key(status: Self.statusRank(status), basis: timelineList[Int(timelineID)].basis?.rank ?? 9, distance: distance),
                                     provider: i, timeline: timelineID, service: service))
            }
        }
        func order(_ a: Ranked, _ b: Ranked) -> Bool {
            if a.key != b.key { return a.key < b.key }
            let ia = providers[Int(a.provider)].facts.id, ib = providers[Int(b.provider)].facts.id
            return ia != ib ? ia < ib : a.service.rawValue < b.service.rawValue
        }
        // Only the head is shown: keep the best `headCount` in a small sorted buffer instead of
        // sorting every qualifying provider (thousands for a medical lookup).
        let headCount = min(ranked.count, q.offset + q.limit + 16)
        var best: [Ranked] = []
        best.reserveCapacity(headCount + 1)
        for r in ranked {
            if best.count == headCount, let last = best.last, !order(r, last) { continue }
            var k = best.count
            while k > 0, order(r, best[k - 1]) { k -= 1 }
            best.insert(r, at: k)
            if best.count > headCount { best.removeLast() }
        }
        // The shown head, ordered by exact distances (the approximation could swap near-ties).
        var head = best.map { r -> Ranked in
            guard let loc = providers[Int(r.provider)].facts.location else { return r }
            let exact = key(status: Int(r.key >> 60), basis: Int(r.key >> 54 & 0x3f), distance: Geodesic.distance(loc, q.point))
            return Ranked(key: exact, provider: r.provider, timeline: r.timeline, service: r.service)
        }
        head.sort(by: order)
        let page: [CoverageEntry] = head.dropFirst(q.offset).prefix(q.limit).compactMap { r -> CoverageEntry? in
            let p = providers[Int(r.provider)]
            let timeline = timelineList[Int(r.timeline)]
            let distance = p.facts.location.map { Geodesic.distance($0, q.point) }
            // The same rule as the first pass (which used the exact distance near any limit).
            guard let area = areaMatch(p, service: r.service, point: q.point, distance: distance, code: code, town: town) else { return nil }
            let report = report(p, r.service)
            var contact = Contact(phone: p.facts.phone, fax: p.facts.fax, email: p.facts.email, url: p.facts.url, preferred: p.facts.preferredContact)
            if let report, report.endsAt > q.now { contact.onCall = report.contact }
            let sourceIDs = [p.facts.datasetID] + (area.dataset.map { [$0] } ?? []) + p.hours.filter { $0.service == nil || $0.service == r.service }.map(\.datasetID)
            return CoverageEntry(
                providerID: p.facts.id, officialID: p.facts.officialID, source: p.facts.source, name: p.facts.name, kind: p.facts.kind,
                service: r.service, distanceM: distance.map(Self.round), lat: p.facts.location?.lat, lon: p.facts.location?.lon,
                status: timeline.status!, basis: timeline.basis,
                covered: timeline.covered, nextChange: timeline.nextChange, contact: contact,
                area: area.match.describe(settings), notes: notes(report), sources: sourceRefs(sourceIDs))
        }
        exclusions.sort { ($0.distanceM ?? .infinity, $0.providerID) < ($1.distanceM ?? .infinity, $1.providerID) }
        let shownIDs = Set(page.flatMap { $0.sources.map(\.dataset) })
        return CoverageAnswer(
            municipalityCode: code, municipality: place?.name, town: town, window: .init(from: q.window.from, to: q.window.to),
            total: ranked.count, results: page, excluded: q.explain ? Array(exclusions.prefix(200)) : nil,
            datasets: sourceRefs(Array(shownIDs)))
    }

    struct TimelineKey: Hashable, Sendable {
        let hoursSet: Int32
        let capability: Bool
        let night: Bool
    }

    static func statusRank(_ s: CoverageStatus) -> Int { s == .covered ? 0 : s == .partial ? 1 : 2 }
    static func round(_ d: Double) -> Double { (d * 10).rounded() / 10 }

    func sourceRefs(_ ids: [Int64]) -> [SourceRef] {
        Array(Set(ids)).sorted().compactMap { id in
            datasets[id].map { SourceRef(dataset: id, sourceKind: $0.sourceKind, file: $0.fileName, referenceDate: $0.referenceDate, loadedAt: $0.loadedAt) }
        }
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
        // No declared area: the legal radius for medical visits, the own municipality otherwise.
        if service == .homeVisitMedical, let d = distance, d <= settings.medicalRadiusM {
            return (.legalRadius, nil)
        }
        if service != .homeVisitMedical, let code, p.facts.municipalityCode == code {
            return (.homeMunicipality(code), nil)
        }
        return nil
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
