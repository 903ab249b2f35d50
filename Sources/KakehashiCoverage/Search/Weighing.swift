import Foundation
import KakehashiModel
import KakehashiStore

/// One lookup's judgement of its candidates, one (provider, service) at a time, by ``Eligibility``
/// and ``Availability``. Providers of one availability group share a timeline, worked out at the
/// group's first use; a provider with an active on-call report gets its own.
struct Weighing {
    let index: CoverageIndex
    let from: Double
    let to: Double
    let now: Date
    let reports: [Int64: OnCallReport]
    /// The window's group timelines, shared with every lookup of the same window.
    private let shared: WindowTimelineCache.Timelines
    private var groupTimeline: [Int32]
    /// Each group's rank bits once worked out (``unranked``: not yet; ``closed``: closed all window).
    private var groupRanks: [UInt64]
    private static let unranked = UInt64.max, closed = UInt64.max - 1
    private(set) var timelines: [Availability.Timeline] = []

    enum Judgement {
        /// Serves the point in the window: the number of its timeline in ``timelines``.
        case qualifies(Int32)
        case refused(Refusal)
        /// Published hours say closed all window (`expired`: an on-call report had ended).
        case closed(expired: Bool)
    }

    init(_ index: CoverageIndex, window: CoverageWindow, now: Date, reports: [Int64: OnCallReport]) {
        self.index = index
        from = window.from.timeIntervalSince1970
        to = window.to.timeIntervalSince1970
        self.now = now
        self.reports = reports
        shared = index.windowTimelines.timelines(from: from, to: to)
        groupTimeline = [Int32](repeating: -1, count: index.groupKeys.count)
        groupRanks = [UInt64](repeating: Self.unranked, count: index.groupKeys.count)
    }

    /// The number of an availability group's timeline (not ``CoverageIndex/ungrouped``), worked out
    /// from the first provider and service of the group: the group's key decides the timeline.
    mutating func groupTimeline(_ group: UInt16) -> Int32 {
        if groupTimeline[Int(group)] < 0 {
            let (i, service) = index.groupRepresentatives[Int(group)]
            let (index, from, to, now) = (index, from, to, now)
            let t = shared.timeline(group) { index.availability(index.providers[Int(i)], service: service, from: from, to: to, report: nil, now: now) }
            timelines.append(t)
            groupTimeline[Int(group)] = Int32(timelines.count - 1)
        }
        return groupTimeline[Int(group)]
    }

    /// The status and basis bits of a group's rank key (nil: closed all window).
    mutating func groupRank(_ group: UInt16) -> UInt64? {
        var rank = groupRanks[Int(group)]
        if rank == Self.unranked {
            let t = timelines[Int(groupTimeline(group))]
            rank = t.status == nil ? Self.closed : RankKey.group(t)
            groupRanks[Int(group)] = rank
        }
        return rank == Self.closed ? nil : rank
    }

    /// The on-call report that speaks for the provider's service now, if any.
    func activeReport(_ i: Int32, _ service: ServiceKind) -> OnCallReport? {
        guard !reports.isEmpty, let r = Availability.report(reports, index.providers[Int(i)].facts.id, service), r.endsAt > now else { return nil }
        return r
    }

    /// Whether provider `i` serves the point for the service in the window, and by which timeline.
    mutating func judge(_ i: Int32, service: ServiceKind, position: ProviderPosition?, at patient: PatientPoint) -> Judgement {
        if let refusal = index.refusal(i, service: service, position: position, at: patient) { return .refused(refusal) }
        let id: Int32
        if let report = activeReport(i, service) {
            timelines.append(index.availability(index.providers[Int(i)], service: service, from: from, to: to, report: report, now: now))
            id = Int32(timelines.count - 1)
        } else {
            let group = index.groups[Int(i) * ServiceKind.allCases.count + service.ordinal]
            if group == CoverageIndex.ungrouped {
                timelines.append(index.availability(index.providers[Int(i)], service: service, from: from, to: to, report: nil, now: now))
                id = Int32(timelines.count - 1)
            } else {
                id = groupTimeline(group)
            }
        }
        guard timelines[Int(id)].status != nil else {
            let expired = !reports.isEmpty
                && Availability.notes(Availability.report(reports, index.providers[Int(i)].facts.id, service), from: from, now: now).contains("on_call_expired")
            return .closed(expired: expired)
        }
        return .qualifies(id)
    }
}
