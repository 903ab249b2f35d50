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
    /// The window's group timelines and ranks, shared with every lookup of the same window.
    private let shared: WindowTimelineCache.Timelines
    /// A group's rank bits for a group closed all window.
    private static let closed = UInt64.max - 1
    private(set) var timelines: [Availability.Timeline] = []

    enum Judgement {
        /// Serves the point in the window: its timeline's number (``timeline(_:)``; negative for a group's).
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
    }

    /// The group's timeline from the window's, worked out from the first provider and service of
    /// the group at the window's first use: the group's key decides the timeline.
    private func sharedTimeline(_ group: AvailabilityGroup) -> Availability.Timeline {
        let (i, service) = index.groupRepresentatives[Int(group)]
        let (index, from, to, now) = (index, from, to, now)
        return shared.timeline(group) { index.availability(index.providers[Int(i)], service: service, from: from, to: to, report: nil, now: now) }
    }

    /// A candidate's timeline number for an availability group's timeline (not
    /// ``CoverageIndex/ungrouped``): negative, apart from ``timelines``' numbers. The window's
    /// timeline is read only for the page (``timeline(_:)``), not for every candidate offered.
    static func groupTimeline(_ group: AvailabilityGroup) -> Int32 { -1 - Int32(group) }

    /// The timeline of a candidate's timeline number: the lookup's own or its group's.
    func timeline(_ number: Int32) -> Availability.Timeline {
        number >= 0 ? timelines[Int(number)] : sharedTimeline(AvailabilityGroup(-1 - number))
    }

    /// The rank key of a candidate's timeline number at `distance`.
    mutating func rankKey(_ number: Int32, distance: Double?) -> UInt64 {
        guard number < 0, let rank = groupRank(AvailabilityGroup(-1 - number)) else { return RankKey.key(timeline(number), distance: distance) }
        return RankKey.key(group: rank, distance: distance)
    }

    /// The status and basis bits of a group's rank key (nil: closed all window), kept by the window.
    mutating func groupRank(_ group: AvailabilityGroup) -> UInt64? {
        var rank = shared.rank(group)
        if rank == WindowTimelineCache.Timelines.unranked {
            let t = sharedTimeline(group)
            rank = t.status == nil ? Self.closed : RankKey.group(t)
            shared.setRank(group, rank)
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
                id = Self.groupTimeline(group)
            }
        }
        guard id < 0 ? groupRank(AvailabilityGroup(-1 - id)) != nil : timelines[Int(id)].status != nil else {
            let expired = !reports.isEmpty
                && Availability.notes(Availability.report(reports, index.providers[Int(i)].facts.id, service), from: from, now: now).contains("on_call_expired")
            return .closed(expired: expired)
        }
        return .qualifies(id)
    }
}
