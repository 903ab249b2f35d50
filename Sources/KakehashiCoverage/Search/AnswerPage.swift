import Foundation
import KakehashiGeo
import KakehashiModel
import KakehashiStore

extension CoverageIndex {
    /// The shown page from the best candidates, in the order of ``Ranking`` (exact distances), with
    /// contact, area and sources. Nil when `head` may have dropped a candidate that belongs on the
    /// page: the head was full and its last key lies within the approximation's error of the page's
    /// last exact distance (the caller then keeps a longer head).
    func finish(_ q: CoverageQuery, _ place: Place, head: consuming [RankedCandidate], full: Bool, total: Int, exclusions: [Exclusion]?,
                reports: [Int64: OnCallReport], plans: [CellPlan] = [], timeline: (RankedCandidate) -> Timeline) -> CoverageAnswer? {
        // Exact distances for the candidates that can reach the page: the first `shown` by the
        // approximation (within a metre of the exact), and any others within 4 m of the last of them.
        let shown = q.offset + q.limit
        let last = head.count > shown ? head[shown - 1].key : UInt64.max
        let worst = head.last?.key
        // The query's half of Vincenty's set-up once; a plan's qualified providers bring their own half.
        let toward = Geodesic.Toward(q.point)
        func exact(_ r: RankedCandidate, _ location: GeoPoint) -> Double {
            guard r.qualified >= 0 else { return toward.distance(from: location) }
            let s = plans[Int(r.plan)].qualified[Int(r.qualified)]
            return toward.distance(from: location, sinU1: s.sinU, cosU1: s.cosU)
        }
        // In place (the head is handed over, not shared): a copy was an allocation per lookup.
        for k in head.indices {
            let r = head[k]
            guard k < shown || (RankKey.groupOf(r.key) == RankKey.groupOf(last) && r.key <= last + 40), let location = r.location(packed)
            else { continue }
            head[k].distance = exact(r, location)
        }
        head.sort(by: precedesExactly)
        if full, let worst, head.count >= shown {
            // A dropped candidate's key is no less than `worst`: its exact distance is at least the
            // key's, less a decimetre of rounding and the approximation's error.
            let end = head[shown - 1]
            let d = end.distance.isNaN ? RankKey.distance(end.key) : end.distance
            let reach = RankKey.distance(worst)
            if RankKey.groupOf(worst) == RankKey.groupOf(end.key), d.isFinite, reach - 1.5 - reach * 1e-4 <= d { return nil }
        }
        let page: [PageEntry] = head.dropFirst(q.offset).prefix(q.limit).compactMap { r -> PageEntry? in
            let distance = r.distance.isNaN ? r.location(packed).map { exact(r, $0) } : r.distance
            if r.memo > 0 {
                // A plan's qualified providers serve every point of its cell and have no on-call report.
                let written = plannedEntries.entry(r.memo) {
                    entry(provider: r.provider, service: r.service, distance: distance, timeline: plans[Int(r.plan)].timelines[Int(r.timeline)],
                          q: q, place: place, report: nil)
                }
                return written.map { PageEntry(memo: r.memo, distanceM: distance.map(Ranking.shown), written: $0) }
            }
            let report = reports.isEmpty ? nil : Availability.report(reports, providers[Int(r.provider)].facts.id, r.service)
            guard let e = entry(provider: r.provider, service: r.service, distance: distance, timeline: timeline(r), q: q, place: place, report: report)
            else { return nil }
            return PageEntry(memo: 0, distanceM: e.distanceM, written: .init(e))
        }
        return CoverageAnswer(
            municipalityCode: place.code, municipality: place.name, town: place.town, window: .init(from: q.window.from, to: q.window.to, night: q.window.night?.description),
            total: total, excluded: exclusions, page: page)
    }

    /// One entry of a page, or nil where the provider's area does not cover the point after all.
    /// `distance`: exact.
    func entry(provider i: Int32, service: ServiceKind, distance: Double?, timeline: Timeline, q: CoverageQuery, place: Place,
               report: OnCallReport?) -> CoverageEntry? {
        // What the entry needs of its provider comes from the packed facts where they suffice: each
        // field read from the provider's record was a cache miss of its own.
        let p = providers[Int(i)], h = packed[Int(i)]
        let point = place.patient(q.point)
        let position = distance.map { ProviderPosition(location: GeoPoint(lon: h.lon, lat: h.lat), distance: $0) }
        let declared = h.declares(service) ? p.areas : nil
        let verdict = eligibility.verdict(service: service, position: position, home: h.home, declared: declared, at: point)
        guard let area = eligibility.matchedArea(verdict, service: service, declared: declared, at: point) else { return nil }
        var sourceIDs = SourceIDs(first: h.dataset >= 0 ? Int64(h.dataset) : p.facts.datasetID)
        if let d = area.dataset { sourceIDs.add(d) }
        let registration = timeline.basis == .capability ? Availability.registration(p.registrations, service) : nil
        if let r = registration { sourceIDs.add(r.dataset) }
        if h.hoursElsewhere {
            for hours in p.hours where hours.service == nil || hours.service == service { sourceIDs.add(hours.datasetID) }
        }
        let ownFacts = DeclaredFacts.refs(p.declared, service: service, now: q.now)
        return CoverageEntry(
            provider: p, service: service, distanceM: distance.map(Ranking.shown), status: timeline.status!, basis: timeline.basis,
            covered: timeline.covered, nextChange: timeline.nextChange, onCall: report.flatMap { $0.endsAt > q.now ? $0.contact : nil },
            registration: registration,
            area: areaTexts.describe(area.match),
            notes: Availability.notes(report, from: q.window.from.timeIntervalSince1970, now: q.now) + DeclaredFacts.notes(ownFacts),
            sources: sourceRefs(sourceIDs), declared: ownFacts)
    }

    /// An entry's datasets: its provider's, and others only when they differ (most entries have none).
    struct SourceIDs {
        let first: Int64
        private(set) var others: [Int64] = []

        mutating func add(_ id: Int64) { if id != first { others.append(id) } }
    }

    func sourceRefs(_ ids: SourceIDs) -> [SourceRef] {
        ids.others.isEmpty ? soleSources[ids.first] ?? [] : sourceRefs([ids.first] + ids.others)
    }

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
}
