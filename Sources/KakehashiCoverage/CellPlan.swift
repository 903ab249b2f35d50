import Foundation
import KakehashiGeo
import KakehashiStore

/// What every point of one 0.01° cell (about 1.1 × 0.9 km) shares for one service, municipality,
/// window and state of the on-call board: the providers that qualify wherever in the cell the
/// point lies, with their availability and the least rank key a point can give them, and the few
/// whose answer depends on where exactly the point is — near a distance limit, or with a 町字
/// list, a drawn area or an on-call report. A lookup then weighs only those few and reads the
/// head of the rest in order, instead of every candidate within 16 km.
final class CellPlan: Sendable {
    struct Key: Hashable, Sendable {
        let cell: Int64
        let service: ServiceKind
        let municipality: String?
        let from: Double
        let to: Double
        let board: Int
    }

    /// Qualifies at every point of the cell. `bound`: the least rank key any point of it can give.
    /// Its location is kept here (NaN: unknown): read from ``CoverageIndex/hot``, it was a cache
    /// miss per provider, half the time of reading a plan.
    struct Sure: Sendable {
        let bound: UInt64
        let provider: Int32
        let timeline: Int32
        /// Which of the provider's declared areas an entry shows (-1: none declared).
        let area: Int32
        let lat: Double
        let lon: Double
        /// Its ``Geodesic/reducedLatitude(_:)``, for the page's exact distances.
        let sinU: Double
        let cosU: Double
    }

    /// Qualifies within `limit` metres (exact near it) when `limit` > 0; otherwise weighed in full
    /// at each lookup, with the plan's `timeline` when it has one (-1: an on-call report or no
    /// shared availability group, worked out per lookup).
    struct Edge: Sendable {
        let provider: Int32
        let timeline: Int32
        let limit: Double
        let lat: Double
        let lon: Double
    }

    let service: ServiceKind
    let timelines: [CoverageIndex.Timeline]
    /// Each timeline's status and basis bits of the rank key (nil status: 0, never read).
    let ranks: [UInt64]
    /// The first ``CellPlan/kept`` sure providers by bound.
    let sure: [Sure]
    let sureCount: Int
    /// The bound of the first sure provider not kept (`.max` when all are).
    let restBound: UInt64
    let edges: [Edge]
    /// The ``EntryMemoNumbers`` number of each kept sure provider's entry.
    let memos: [Int]
    /// The municipality's towns a point of the cell can be nearest to (nil: weigh them all).
    let towns: [Int32]?

    /// More than a page ever reads from the head of the sure providers (the head is short: the
    /// nearest of the best status and basis); a lookup that would need more uses the full scan.
    static let kept = 128
    static let cellDegrees = 0.01

    init(service: ServiceKind, timelines: [CoverageIndex.Timeline], sure: [Sure], edges: [Edge], towns: [Int32]?, memos: ([Sure]) -> [Int]) {
        self.towns = towns
        self.service = service
        self.timelines = timelines
        ranks = timelines.map { $0.status == nil ? 0 : CoverageIndex.rank($0) }
        let sorted = sure.sorted { $0.bound < $1.bound }
        self.sure = Array(sorted.prefix(Self.kept))
        sureCount = sorted.count
        restBound = sorted.count > Self.kept ? sorted[Self.kept].bound : .max
        self.edges = edges
        self.memos = memos(self.sure)
    }

    /// Roughly what the plan holds in memory, for the cache's budget.
    var bytes: Int {
        256 + sure.count * (MemoryLayout<Sure>.stride + 8) + edges.count * MemoryLayout<Edge>.stride + ranks.count * 8
            + (towns?.count ?? 0) * 4 + timelines.reduce(0) { $0 + 64 + $1.covered.count * MemoryLayout<CoveredInterval>.stride }
    }
}

/// Numbers for "the same entry but for its distance". A provider that qualifies at every point of
/// a plan's cell shows the same entry there (area rule, availability, sources; the plan keeps
/// providers with on-call reports out of its sure list) for one service, window and municipality,
/// whatever plan it comes from — so a presenter can write it once and copy it into every page that
/// shows it. Numbers are never reused; the table (≈ 80 bytes an entry) starts afresh past 250,000
/// (older numbers stay valid: they still name the same entry, it is only written again under a new
/// number).
final class EntryMemoNumbers: @unchecked Sendable {
    struct Key: Hashable {
        let provider: Int32
        let service: ServiceKind
        /// The declared area shown (-1: none declared).
        let area: Int32
        let from: Double
        let to: Double
        let municipality: String?
    }

    private let lock = NSLock()
    private var numbers: [Key: Int] = [:]
    private var next = 0

    func numbers(_ keys: [Key]) -> [Int] {
        lock.lock(); defer { lock.unlock() }
        if numbers.count + keys.count > 250_000 { numbers.removeAll() }
        return keys.map { key in
            if let n = numbers[key] { return n }
            next += 1
            numbers[key] = next
            return next
        }
    }
}

/// Plans by key, within a memory budget. A plan is built at its key's second request: an instant
/// asked once, or a cell visited once, costs a plan more than the full scan it would save.
final class CellPlanCache: @unchecked Sendable {
    private let lock = NSLock()
    private var plans: [CellPlan.Key: CellPlan] = [:]
    private var askedOnce: Set<CellPlan.Key> = []
    private var bytes = 0
    let budget: Int

    init(budget: Int) { self.budget = budget }

    /// The plan for the key, built now if it was asked for before; nil at its first request.
    func plan(_ key: CellPlan.Key, build: () -> CellPlan) -> CellPlan? {
        lock.lock()
        if let plan = plans[key] { lock.unlock(); return plan }
        guard askedOnce.remove(key) != nil else {
            if askedOnce.count >= 100_000 { askedOnce.removeAll() }
            askedOnce.insert(key)
            lock.unlock()
            return nil
        }
        lock.unlock()
        let plan = build()
        lock.lock(); defer { lock.unlock() }
        if plans[key] == nil {
            plans[key] = plan
            bytes += plan.bytes
            if bytes > budget {
                // Drop plans in the dictionary's (arbitrary) order down to three quarters of the budget.
                for (k, p) in plans where bytes > budget * 3 / 4 && k != key {
                    plans[k] = nil
                    bytes -= p.bytes
                }
            }
        }
        return plans[key] ?? plan
    }

    /// How many plans and bytes are held (for tests and metrics).
    var usage: (plans: Int, bytes: Int) {
        lock.lock(); defer { lock.unlock() }
        return (plans.count, bytes)
    }
}

extension CoverageIndex {
    /// How many cell plans are held and their approximate bytes.
    public var planUsage: (plans: Int, bytes: Int) { plans.usage }

    /// The answer from the cell plans of the query's services, or nil where a plan is not built yet
    /// or the page reaches past what a plan keeps.
    func answerFromPlans(_ q: CoverageQuery, _ located: Place, reports: [Int64: OnCallReport], version: Int) -> CoverageAnswer? {
        var place = located
        guard plans.budget > 0, q.point.lat.isFinite, q.point.lon.isFinite else { return nil }
        let from = q.window.from.timeIntervalSince1970, to = q.window.to.timeIntervalSince1970
        let cell = CellTable.key(q.point.lon, q.point.lat, degrees: CellPlan.cellDegrees)
        var found: [CellPlan] = []
        var complete = true
        for s in Set(q.services).sorted(by: { $0.rawValue < $1.rawValue }) {
            let key = CellPlan.Key(cell: cell, service: s, municipality: place.code, from: from, to: to, board: version)
            if let plan = plans.plan(key, build: { buildPlan(key, place: place, reports: reports, now: q.now) }) {
                found.append(plan)
            } else {
                complete = false
            }
        }
        guard complete else { return nil }
        place = place.town(for: q, self, among: found.first?.towns)

        let around = Geodesic.Around(q.point)
        var own: [Timeline] = []
        // The sure providers first, in order of their bounds, so that the page's last key is low
        // when the edges come: most of those only count towards the total.
        var head = Head(capacity: q.offset + q.limit + 16)
        var cut: [Bool] = []
        for (k, plan) in found.enumerated() {
            var stopped = false
            for (j, s) in plan.sure.enumerated() {
                if let worst = head.worstKey, s.bound > worst { stopped = true; break }
                let distance = s.lat.isNaN ? nil : around.distance(to: GeoPoint(lon: s.lon, lat: s.lat))
                var r = Ranked(key: Self.rankKey(rank: plan.ranks[Int(s.timeline)], distance: distance), provider: s.provider,
                               timeline: s.timeline, service: plan.service, plan: Int32(k))
                r.memo = plan.memos[j]
                (r.lat, r.lon) = (s.lat, s.lon)
                r.sure = Int32(j)
                head.offer(r, self)
            }
            cut.append(!stopped && plan.sureCount > plan.sure.count)
        }
        var total = 0
        for (k, plan) in found.enumerated() {
            total += plan.sureCount
            for e in plan.edges {
                let location = e.lat.isNaN ? nil : GeoPoint(lon: e.lon, lat: e.lat)
                if e.limit > 0, let location {
                    // One distance decides (the legal radius or the one declared radius), exact near it.
                    // Most edges are decided by the plane's bounds: beyond, or within and too far for the page.
                    let b = around.bounds(to: location)
                    if b.lower > e.limit + 2 { continue }
                    let rank = plan.ranks[Int(e.timeline)]
                    if b.upper < e.limit - 2, let worst = head.worstKey, Self.rankKey(rank: rank, distance: b.lower) > worst {
                        total += 1
                        continue
                    }
                    let d = around.distance(to: location)
                    let exact = abs(d - e.limit) < 2 ? Geodesic.distance(location, q.point) : d
                    guard exact <= e.limit else { continue }
                    total += 1
                    let key = Self.rankKey(rank: rank, distance: d)
                    if let worst = head.worstKey, key > worst { continue }
                    var r = Ranked(key: key, provider: e.provider, timeline: e.timeline, service: plan.service, plan: Int32(k))
                    (r.lat, r.lon) = (e.lat, e.lon)
                    head.offer(r, self)
                    continue
                }
                let distance = location.map { around.distance(to: $0) }
                let service = plan.service
                guard refusal(e.provider, hot[Int(e.provider)], service: service, bit: service.bit, distance: distance, point: q.point, place: place) == nil
                else { continue }
                let timeline: Timeline
                if e.timeline >= 0 {
                    timeline = plan.timelines[Int(e.timeline)]
                } else {
                    let p = providers[Int(e.provider)]
                    timeline = availability(p, service: service, from: from, to: to, report: Self.report(reports, p.facts.id, service), now: q.now)
                }
                guard timeline.status != nil else { continue }
                total += 1
                own.append(timeline)
                head.offer(Ranked(key: Self.rankKey(timeline, distance: distance), provider: e.provider, timeline: Int32(own.count - 1),
                                  service: service), self)
            }
        }
        // Past the kept head of a sure list: only if nothing beyond it could enter the page.
        for (k, plan) in found.enumerated() where cut[k] {
            guard let worst = head.worstKey, plan.restBound > worst else { return nil }
        }
        return finish(q, place, head: head.take(), total: total, exclusions: nil, reports: reports, plans: found) { r in
            r.plan >= 0 ? found[Int(r.plan)].timelines[Int(r.timeline)] : own[Int(r.timeline)]
        }
    }

    /// Sorts the providers that could qualify anywhere in the key's cell into sure, edge and out.
    func buildPlan(_ key: CellPlan.Key, place: Place, reports: [Int64: OnCallReport], now: Date) -> CellPlan {
        let s = key.service, bit = s.bit, ordinal = s.ordinal
        let d = CellPlan.cellDegrees
        let x = Double(key.cell / 100_000), y = Double(key.cell % 100_000)
        let cellBox = GeoBox(minLon: x * d, minLat: y * d, maxLon: (x + 1) * d, maxLat: (y + 1) * d)
        let center = cellBox.center
        // How far a point of the cell can be from its centre, and a margin for the approximation
        // (within a metre of the geodesic) on both sides.
        let reach = [GeoPoint(lon: cellBox.minLon, lat: cellBox.minLat), GeoPoint(lon: cellBox.maxLon, lat: cellBox.minLat),
                     GeoPoint(lon: cellBox.minLon, lat: cellBox.maxLat), GeoPoint(lon: cellBox.maxLon, lat: cellBox.maxLat)]
            .map { Geodesic.distance(center, $0) }.max()! + 10
        let around = Geodesic.Around(center)

        var set = CandidateSet(providerCount: providers.count)
        let radius = max(s == .homeVisitMedical ? settings.medicalRadiusM : 0, largestRadiusM)
        if radius > 0 { distanceCells[ordinal]?.forEach(near: center, metres: radius + reach) { set.add($0) } }
        if let code = place.code {
            set.add(byAreaMunicipality[s]?[code] ?? [])
            set.add(byHomeMunicipality[s]?[code] ?? [])
        }
        set.add(polygonProviders)
        let reported = Set(reports.keys.compactMap { index(of: $0) })

        /// Where in the cell a condition holds.
        enum Reach: Equatable { case everywhere, nowhere, within(Double), unsure }
        func both(_ a: Reach, _ b: Reach) -> Reach {
            switch (a, b) {
            case (.nowhere, _), (_, .nowhere): .nowhere
            case (.everywhere, let other), (let other, .everywhere): other
            default: .unsure
            }
        }
        func either(_ a: Reach, _ b: Reach) -> Reach {
            switch (a, b) {
            case (.everywhere, _), (_, .everywhere): .everywhere
            case (.nowhere, let other), (let other, .nowhere): other
            default: .unsure
            }
        }

        var timelines: [Timeline] = []
        var groupTimeline: [UInt16: Int32] = [:]
        var sure: [CellPlan.Sure] = []
        var edges: [CellPlan.Edge] = []
        let width = ServiceKind.allCases.count
        for i in set.members {
            let h = hot[Int(i)]
            guard h.services & bit != 0 else { continue }
            let group = groups[Int(i) * width + ordinal]
            if reported.contains(i) || group == Self.ungrouped {
                edges.append(CellPlan.Edge(provider: i, timeline: -1, limit: 0, lat: h.lat, lon: h.lon))
                continue
            }
            let centre = h.located ? around.distance(to: GeoPoint(lon: h.lon, lat: h.lat)) : nil
            func within(_ r: Double) -> Reach {
                guard let c = centre else { return .nowhere }
                return c + reach <= r ? .everywhere : c - reach > r ? .nowhere : .within(r)
            }
            let legal = s == .homeVisitMedical ? within(settings.medicalRadiusM) : .everywhere
            var area = Reach.nowhere
            var shownArea: Int32 = -1
            if h.declared & (bit | Hot.everyService) == 0 {
                area = s == .homeVisitMedical || h.home == place.home ? .everywhere : .nowhere
            } else {
                // The first declared rule that holds is the one an entry shows: sure only when that
                // is the same rule at every point of the cell.
                var first: Reach?
                for (n, a) in providers[Int(i)].areas.enumerated() where a.service == nil || a.service == s {
                    let r: Reach
                    switch a.rule {
                    case .radius(let radius): r = within(radius)
                    case .municipalities(let codes): r = place.code.map(codes.contains) == true ? .everywhere : .nowhere
                    case .towns: r = place.code == nil ? .nowhere : .unsure
                    case .polygon(_, let box):
                        let meets = box.minLon <= cellBox.maxLon && box.maxLon >= cellBox.minLon && box.minLat <= cellBox.maxLat && box.maxLat >= cellBox.minLat
                        r = meets ? .unsure : .nowhere
                    }
                    if first == nil, r != .nowhere { first = r; shownArea = Int32(n) }
                    area = either(area, r)
                }
                if area == .everywhere, first != .everywhere { area = .unsure }
            }
            let rule = both(legal, area)
            if case .nowhere = rule { continue }
            let timeline: Int32
            if let t = groupTimeline[group] { timeline = t } else {
                timelines.append(availability(providers[Int(i)], service: s, from: key.from, to: key.to, report: nil, now: now))
                timeline = Int32(timelines.count - 1)
                groupTimeline[group] = timeline
            }
            guard timelines[Int(timeline)].status != nil else { continue }  // closed all window, wherever the point is
            switch rule {
            case .everywhere:
                let bound = Self.rankKey(timelines[Int(timeline)], distance: centre.map { max(0, $0 - reach) })
                let u = h.located ? Geodesic.reducedLatitude(GeoPoint(lon: h.lon, lat: h.lat)) : (sin: Double.nan, cos: Double.nan)
                sure.append(CellPlan.Sure(bound: bound, provider: i, timeline: timeline, area: shownArea,
                                          lat: h.located ? h.lat : .nan, lon: h.located ? h.lon : .nan, sinU: u.sin, cosU: u.cos))
            case .within(let limit): edges.append(CellPlan.Edge(provider: i, timeline: timeline, limit: limit, lat: h.lat, lon: h.lon))
            default: edges.append(CellPlan.Edge(provider: i, timeline: timeline, limit: 0, lat: h.lat, lon: h.lon))
            }
        }
        return CellPlan(service: s, timelines: timelines, sure: sure, edges: edges, towns: townCandidates(cell: key.cell, code: place.code)) { kept in
            memoNumbers.numbers(kept.map { .init(provider: $0.provider, service: s, area: $0.area, from: key.from, to: key.to, municipality: place.code) })
        }
    }
}
