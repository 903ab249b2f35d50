import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
import KakehashiStore

extension CoverageIndex {
    /// Every candidate weighed one by one, plainly: the path for explanations, and the reference
    /// the indexed search and the plans are tested against.
    func answerByScan(_ q: CoverageQuery, _ place: Place, reports: [Int64: OnCallReport]) -> CoverageAnswer {
        let code = place.code
        let requested = Set(q.services)

        // Candidates: by distance where a distance can qualify (medical visits, radius areas), by
        // municipality where a list or the home municipality can, and every drawn polygon. With
        // explain, everything placed nearby too, to say why it did not qualify. A bit per provider
        // keeps each candidate once.
        var set = CandidateSet(providerCount: providers.count)
        for s in requested {
            let radius = max(eligibility.distanceLimit(s) ?? 0, largestRadiusM)
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
        var weighing = Weighing(self, window: q.window, now: q.now, reports: reports)
        let services = Array(requested).sorted { $0.rawValue < $1.rawValue }
        let around = Geodesic.Around(q.point)
        let patient = place.patient(q.point)
        for i in candidates {
            let h = packed[Int(i)]
            // The short-range approximation (within a metre of the geodesic) ranks; decisions within
            // 2 m of a limit and the reported distances use the exact one.
            let position = h.located ? ProviderPosition(GeoPoint(lon: h.lon, lat: h.lat), around: around) : nil
            let distance = position?.distance
            for service in services where h.services & service.bit != 0 {
                func exclude(_ reason: ExclusionReason, _ detail: @autoclosure () -> String) {
                    guard q.explain, (distance ?? 0) <= 20_000 || reason == .closedInWindow || reason == .onCallExpired else { return }
                    let p = providers[Int(i)]
                    exclusions.append(Exclusion(reason: reason, detail: detail(), providerID: p.facts.id, name: p.facts.name, service: service,
                                                distanceM: distance.map(Ranking.shown)))
                }
                switch weighing.judge(i, service: service, position: position, at: patient) {
                case .qualifies(let timeline):
                    ranked.append(RankedCandidate(key: weighing.rankKey(timeline, distance: distance), provider: i,
                                                  timeline: timeline, service: service))
                case .refused(.locationUnknown):
                    exclude(.locationUnknown, "所在地の座標が不明なため距離の要件を確認できません")
                case .refused(.beyondLegalRadius(let d)):
                    let limit = "\(Int((eligibility.distanceLimit(service) ?? 0) / 1000)) km"
                    exclude(.beyondLegalRadius, "直線距離 \(String(format: "%.1f", d / 1000)) km が"
                                + (Eligibility.limitIsLegal(service) ? "\(service.japaneseName)の上限 \(limit)" : "検索範囲 \(limit)") + " を超えています")
                case .refused(.outsideArea(let declared)):
                    exclude(.outsideArea, declared ? "通常の事業の実施地域の外です" : "実施地域の登録がなく、所在市区町村の外です")
                case .closed(let expired):
                    exclude(expired ? .onCallExpired : .closedInWindow,
                            expired ? "当番の報告は期限切れです。公開されている時間は期間内すべて休みです" : "公開されている時間では期間内すべて休みです")
                }
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
                                   exclusions: q.explain ? Array(exclusions.prefix(200)) : nil, reports: reports, timeline: { weighing.timeline($0.timeline) }) {
                return answer
            }
            capacity *= 2
        }
    }

    /// Why provider `i` does not serve the point for the service (nil: it does), by ``Eligibility``.
    func refusal(_ i: Int32, service: ServiceKind, position: ProviderPosition?, at point: PatientPoint) -> Refusal? {
        let h = packed[Int(i)]
        // The provider's record (a cache miss) is read only when it declares areas.
        let declared = h.declares(service) ? providers[Int(i)].areas : nil
        let verdict = eligibility.verdict(service: service, position: position, home: h.home, declared: declared, at: point)
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
