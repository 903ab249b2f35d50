import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

extension CoverageIndex {
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
            let radius = max(eligibility.legalLimit(s) ?? 0, largestRadiusM)
            if radius > 0 { distanceCells[s.ordinal]?.forEach(near: q.point, metres: radius) { set.add($0) } }
        }
        if q.explain { set.add(nearby(q.point, metres: min(settings.searchRadiusM, 20_000))) }
        if let code {
            for s in requested { set.add(byAreaMunicipality[s]?[code] ?? []) }
            for s in requested { set.add(byHomeMunicipality[s]?[code] ?? []) }
        }
        set.add(polygonProviders)
        let candidates = set.members

        var ranked: [RankedCandidate] = []
        var exclusions: [Exclusion] = []
        var groupTimeline = [Int32](repeating: -1, count: groupKeys.count)
        var timelineList: [Timeline] = []
        let reported = Set(reports.keys.compactMap { index(of: $0) })
        let services = Array(requested).sorted { $0.rawValue < $1.rawValue }.map { (service: $0, ordinal: $0.ordinal, bit: $0.bit) }
        let wanted = services.reduce(UInt16(0)) { $0 | $1.bit }
        let width = ServiceKind.allCases.count
        let around = Geodesic.Around(q.point)
        let patient = place.patient(q.point)
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
            let h = packed[Int(i)]
            guard h.services & wanted != 0 else { continue }
            // The short-range approximation (within a metre of the geodesic) ranks; decisions within
            // 2 m of a limit and the reported distances use the exact one.
            let position = h.located ? ProviderPosition(GeoPoint(lon: h.lon, lat: h.lat), around: around) : nil
            let distance = position?.distance
            for (service, ordinal, bit) in services where h.services & bit != 0 {
                func exclude(_ reason: ExclusionReason, _ detail: @autoclosure () -> String) {
                    guard q.explain, (distance ?? 0) <= 20_000 || reason == .closedInWindow || reason == .onCallExpired else { return }
                    let p = providers[Int(i)]
                    exclusions.append(Exclusion(reason: reason, detail: detail(), providerID: p.facts.id, name: p.facts.name, service: service, distanceM: distance.map(Ranking.shown)))
                }
                let isListed = !listed.isEmpty && listed[Int(i) >> 6] & (1 << UInt64(Int(i) & 63)) != 0
                switch refusal(i, service: service, position: position, at: patient, listed: isListed) {
                case .locationUnknown?: exclude(.locationUnknown, "所在地の座標が不明なため \(Int(eligibility.medicalRadiusM / 1000)) km 要件を確認できません"); continue
                case .beyondLegalRadius(let d)?:
                    exclude(.beyondLegalRadius, "直線距離 \(String(format: "%.1f", d / 1000)) km が往診・訪問診療の上限 \(Int(eligibility.medicalRadiusM / 1000)) km を超えています")
                    continue
                case .outsideArea(let declared)?:
                    exclude(.outsideArea, declared ? "通常の事業の実施地域の外です" : "実施地域の登録がなく、所在市区町村の外です")
                    continue
                case nil: break
                }
                var timelineID: Int32
                let report = reported.contains(i) ? Availability.report(reports, providers[Int(i)].facts.id, service) : nil
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
                    let expired = !Availability.notes(report, from: from, now: q.now).isEmpty
                    exclude(expired ? .onCallExpired : .closedInWindow,
                            expired ? "当番の報告は期限切れです。公開されている時間は期間内すべて休みです" : "公開されている時間では期間内すべて休みです")
                    continue
                }
                ranked.append(RankedCandidate(key: RankKey.key(timelineList[Int(timelineID)], distance: distance), provider: i, timeline: timelineID,
                                              service: service))
            }
        }
        exclusions.sort { ($0.distanceM ?? .infinity, $0.providerID) < ($1.distanceM ?? .infinity, $1.providerID) }
        // A head a little longer than the page; longer again in the rare case the approximation
        // leaves doubt about which candidate ends the page (see ``finish``).
        var capacity = q.offset + q.limit + 16
        while true {
            var head = TopCandidates(capacity: min(ranked.count, capacity))
            for r in ranked { head.offer(r, self) }
            if let answer = finish(q, place, head: head.take(), full: ranked.count > capacity, total: ranked.count,
                                   exclusions: q.explain ? Array(exclusions.prefix(200)) : nil, reports: reports, timeline: { timelineList[Int($0.timeline)] }) {
                return answer
            }
            capacity *= 2
        }
    }

    /// Why provider `i` does not serve the point for the service (nil: it does), by ``Eligibility``.
    /// `listed`: the index says a declared municipality list names the point's municipality.
    func refusal(_ i: Int32, service: ServiceKind, position: ProviderPosition?, at point: PatientPoint, listed: Bool = false) -> Refusal? {
        let h = packed[Int(i)]
        // The provider's record (a cache miss) is read only for areas the index cannot answer.
        let declared = h.declares(service) ? (listed ? [] : providers[Int(i)].areas) : nil
        let verdict = eligibility.verdict(service: service, position: position, home: h.home, declared: declared, listed: listed, at: point)
        return eligibility.refusal(verdict, position: position, declared: declared != nil)
    }
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
