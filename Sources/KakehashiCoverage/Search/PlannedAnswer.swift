import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

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
        // Every service's plan is asked for, so that each counts this request towards being built.
        let found = Set(q.services).sorted(by: { $0.rawValue < $1.rawValue }).compactMap { s in
            let key = CellPlan.Key(cell: cell, service: s, municipality: place.code, from: from, to: to, board: version)
            return plans.plan(key, build: { buildPlan(key, place: place, reports: reports, now: q.now) })
        }
        guard found.count == Set(q.services).count else { return nil }
        place = place.town(for: q, self, among: found.first?.towns)
        let patient = place.patient(q.point)

        let around = Geodesic.Around(q.point)
        var own: [Timeline] = []
        // The qualified providers first, in order of their bounds, so that the page's last key is
        // low when the undecided come: most of those only count towards the total.
        var head = TopCandidates(capacity: q.offset + q.limit + 16)
        var cut: [Bool] = []
        for (k, plan) in found.enumerated() {
            var stopped = false
            for (j, s) in plan.qualified.enumerated() {
                if let worst = head.worstKey, s.bound > worst { stopped = true; break }
                let distance = s.lat.isNaN ? nil : around.distance(to: GeoPoint(lon: s.lon, lat: s.lat))
                var r = RankedCandidate(key: RankKey.key(group: plan.ranks[Int(s.timeline)], distance: distance), provider: s.provider,
                                        timeline: s.timeline, service: plan.service, plan: Int32(k))
                r.memo = plan.memos[j]
                (r.lat, r.lon) = (s.lat, s.lon)
                r.qualified = Int32(j)
                head.offer(r, self)
            }
            cut.append(!stopped && plan.qualifiedCount > plan.qualified.count)
        }
        var total = 0
        for (k, plan) in found.enumerated() {
            total += plan.qualifiedCount
            for e in plan.undecided {
                if weighUndecided(e, plan: plan, number: k, q, patient, around, reports: reports, head: &head, own: &own) { total += 1 }
            }
        }
        // Past the kept head of a qualified list: only if nothing beyond it could enter the page.
        for (k, plan) in found.enumerated() where cut[k] {
            guard let worst = head.worstKey, plan.restBound > worst else { return nil }
        }
        let full = head.isFull
        return finish(q, place, head: head.take(), full: full, total: total, exclusions: nil, reports: reports, plans: found) { r in
            r.plan >= 0 ? found[Int(r.plan)].timelines[Int(r.timeline)] : own[Int(r.timeline)]
        }
    }

    /// Whether a plan's undecided provider serves the point; offers it to the head if it may enter.
    private func weighUndecided(_ e: CellPlan.Undecided, plan: CellPlan, number k: Int, _ q: CoverageQuery, _ patient: PatientPoint,
                                _ around: Geodesic.Around, reports: [Int64: OnCallReport], head: inout TopCandidates, own: inout [Timeline]) -> Bool {
        let location = e.lat.isNaN ? nil : GeoPoint(lon: e.lon, lat: e.lat)
        if e.limit > 0, let location {
            // One distance decides (the legal radius or the one declared radius), exact near it.
            // Most are decided by the plane's bounds: beyond, or within and too far for the page.
            let b = around.bounds(to: location)
            if b.lower > e.limit + PatientPoint.exactBand { return false }
            let group = plan.ranks[Int(e.timeline)]
            if b.upper < e.limit - PatientPoint.exactBand, let worst = head.worstKey, RankKey.key(group: group, distance: b.lower) > worst { return true }
            let position = ProviderPosition(location: location, distance: around.distance(to: location))
            guard patient.within(e.limit, of: position) == .everywhere else { return false }
            let key = RankKey.key(group: group, distance: position.distance)
            if let worst = head.worstKey, key > worst { return true }
            var r = RankedCandidate(key: key, provider: e.provider, timeline: e.timeline, service: plan.service, plan: Int32(k))
            (r.lat, r.lon) = (e.lat, e.lon)
            head.offer(r, self)
            return true
        }
        let position = location.map { ProviderPosition($0, around: around) }
        let service = plan.service
        guard refusal(e.provider, service: service, position: position, at: patient) == nil else { return false }
        let timeline: Timeline
        if e.timeline >= 0 {
            timeline = plan.timelines[Int(e.timeline)]
        } else {
            let p = providers[Int(e.provider)]
            timeline = availability(p, service: service, from: q.window.from.timeIntervalSince1970, to: q.window.to.timeIntervalSince1970,
                                    report: Availability.report(reports, p.facts.id, service), now: q.now)
        }
        guard timeline.status != nil else { return false }
        own.append(timeline)
        head.offer(RankedCandidate(key: RankKey.key(timeline, distance: position?.distance), provider: e.provider,
                                   timeline: Int32(own.count - 1), service: service), self)
        return true
    }

    /// Sorts the providers that could serve some point of the key's cell into qualified (every
    /// point), undecided (depends on the point) and out, by ``Eligibility`` over the whole cell.
    func buildPlan(_ key: CellPlan.Key, place: Place, reports: [Int64: OnCallReport], now: Date) -> CellPlan {
        let s = key.service, ordinal = s.ordinal
        let d = CellPlan.cellDegrees
        let x = Double(key.cell / 100_000), y = Double(key.cell % 100_000)
        let cellBox = GeoBox(minLon: x * d, minLat: y * d, maxLon: (x + 1) * d, maxLat: (y + 1) * d)
        let center = cellBox.center
        // How far a point of the cell can be from its centre, and a margin for the approximation
        // (within a metre of the geodesic) on both sides.
        let reach = cellBox.ring.map { Geodesic.distance(center, $0) }.max()! + 10
        let cell = PatientCell(box: cellBox, reach: reach, code: place.code, home: place.home)
        let around = Geodesic.Around(center)

        var set = CandidateSet(providerCount: providers.count)
        let radius = max(eligibility.distanceLimit(s) ?? 0, largestRadiusM)
        if radius > 0 { distanceCells[ordinal]?.forEach(near: center, metres: radius + reach) { set.add($0) } }
        if let code = place.code {
            set.add(byAreaMunicipality[s]?[code] ?? [])
            set.add(byHomeMunicipality[s]?[code] ?? [])
        }
        set.add(polygonProviders)
        let reported = Set(reports.keys.compactMap { index(of: $0) })

        var timelines: [Timeline] = []
        var groupTimeline: [AvailabilityGroup: Int32] = [:]
        let window = windowTimelines.timelines(from: key.from, to: key.to)  // each group's worked out once per window, not per plan
        var qualified: [CellPlan.Qualified] = []
        var undecided: [CellPlan.Undecided] = []
        let width = ServiceKind.allCases.count
        for i in set.members {
            let h = packed[Int(i)]
            guard h.services & s.bit != 0 else { continue }
            let group = groups[Int(i) * width + ordinal]
            if reported.contains(i) || group == Self.ungrouped {
                undecided.append(CellPlan.Undecided(provider: i, timeline: -1, limit: 0, lat: h.lat, lon: h.lon))
                continue
            }
            let position = h.located ? ProviderPosition(GeoPoint(lon: h.lon, lat: h.lat), around: around) : nil
            let verdict = eligibility.verdict(service: s, position: position, home: h.home, declared: h.declares(s) ? providers[Int(i)].areas : nil,
                                              at: cell)
            if verdict.reach == .nowhere { continue }
            let timeline: Int32
            if let t = groupTimeline[group] { timeline = t } else {
                let p = providers[Int(i)]
                timelines.append(window.timeline(group) { availability(p, service: s, from: key.from, to: key.to, report: nil, now: now) })
                timeline = Int32(timelines.count - 1)
                groupTimeline[group] = timeline
            }
            guard timelines[Int(timeline)].status != nil else { continue }  // closed all window, wherever the point is
            switch verdict.reach {
            case .everywhere:
                let bound = RankKey.key(timelines[Int(timeline)], distance: position.map { max(0, $0.distance - reach) })
                let u = h.located ? Geodesic.reducedLatitude(GeoPoint(lon: h.lon, lat: h.lat)) : (sin: Double.nan, cos: Double.nan)
                qualified.append(CellPlan.Qualified(bound: bound, provider: i, timeline: timeline, area: verdict.shown,
                                                    lat: h.located ? h.lat : .nan, lon: h.located ? h.lon : .nan, sinU: u.sin, cosU: u.cos))
            case .within(let limit): undecided.append(CellPlan.Undecided(provider: i, timeline: timeline, limit: limit, lat: h.lat, lon: h.lon))
            default: undecided.append(CellPlan.Undecided(provider: i, timeline: timeline, limit: 0, lat: h.lat, lon: h.lon))
            }
        }
        return CellPlan(service: s, timelines: timelines, qualified: qualified, undecided: undecided,
                        towns: townCandidates(cell: key.cell, code: place.code)) { kept in
            memoNumbers.numbers(kept.map { .init(provider: $0.provider, service: s, area: $0.area, from: key.from, to: key.to, municipality: place.code) })
        }
    }
}
