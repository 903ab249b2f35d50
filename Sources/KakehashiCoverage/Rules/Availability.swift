import Foundation
import KakehashiHours
import KakehashiModel
import KakehashiStore

/// When a provider is available for a service in a window, from the three layers of the design,
/// strongest first: a registration that implies round-the-clock service (capability), an active
/// on-call report, published hours. Where none speaks, the answer is unknown — outpatient hours
/// never imply night visits, and silence is neither open nor closed.
enum Availability {
    /// Availability over a window: its status (nil when published hours say closed all window and
    /// nothing else speaks), the strongest basis used, the covered sub-intervals and the first change.
    struct Timeline: Sendable, Hashable {
        var status: CoverageStatus?
        var basis: AvailabilityBasis?
        var covered: [CoveredInterval]
        var nextChange: Date?
        /// See ``Ranking/preference(_:_:)``.
        var preference = 0
    }

    /// Whether a registration alone covers the service around the clock:
    /// - 往診・訪問診療: 在宅療養支援診療所・病院 must keep a 24-hour contact and visiting system
    ///   (特掲診療料の施設基準 第九 一・二);
    /// - 訪問看護: 24時間対応体制加算 (指定訪問看護の 24 時間対応体制);
    /// - 定期巡回・随時対応型訪問介護看護: a 24-hour service by definition (介護保険法 第8条第15項);
    /// - 訪問薬剤管理: a pharmacy's 24-hour system (地域支援体制加算の施設基準).
    /// - 歯科訪問診療: 在宅療養支援歯科診療所・病院 must keep an emergency contact system with the
    ///   home doctor and visiting nurses (歯科の特掲診療料の施設基準 第十四の二).
    /// - 居宅介護支援: a care office that keeps a 24-hour contact system and answers users' calls at
    ///   any hour (特定事業所加算の算定要件; declared at the desk, no official list publishes it).
    /// - 急変時の入院受入れ: 在宅療養後方支援病院 must admit its registered home patients at any hour,
    ///   and 在宅療養支援病院 must keep beds for its own (特掲診療料の施設基準 第九・第十六の三).
    static func roundTheClock(_ capabilities: Set<Capability>, _ service: ServiceKind) -> Bool {
        service == .regularVisit24h || roundTheClockCapabilities(service).contains(where: capabilities.contains)
    }

    /// The capabilities that cover a service around the clock, strongest first.
    static func roundTheClockCapabilities(_ service: ServiceKind) -> [Capability] {
        switch service {
        case .homeVisitMedical: [.homeSupportClinic, .homeSupportHospital]
        case .homeVisitNursing: [.nursing24h]
        case .homePharmacy: [.pharmacy24h]
        case .homeVisitDental: [.homeSupportDental]
        case .backupAdmission: [.backupHospital, .homeSupportHospital]
        case .careManagement: [.careContact24h]
        default: []
        }
    }

    /// The registration a capability answer for the service rests on.
    static func registration(_ registrations: [Registration], _ service: ServiceKind) -> Registration? {
        for c in roundTheClockCapabilities(service) { if let r = registrations.first(where: { $0.capability == c }) { return r } }
        return nil
    }

    /// 夜間対応型訪問介護 is a night service by definition (介護保険法 第8条第16項): its 夜間 is taken as
    /// 18:00–08:00, the widest band the 指定基準 allow an office to set.
    static let nightService = try! OpeningHours("Mo-Su 18:00-08:00")

    /// Unknown all the time: what a stale declaration leaves.
    static let staleMarker = try! OpeningHours(DeclaredFacts.staleHours)

    /// The on-call report that speaks for a service: one for every service, or for this one.
    static func report(_ reports: [Int64: OnCallReport], _ id: Int64, _ service: ServiceKind) -> OnCallReport? {
        reports.isEmpty ? nil : reports[id].flatMap { r in r.service == nil || r.service == service.rawValue ? r : nil }
    }

    /// The note an on-call report adds to an entry: expired, and recent enough to matter; or heard
    /// by a coordinator on the phone rather than posted by the provider.
    static func notes(_ r: OnCallReport?, from: Double, now: Date) -> [String] {
        guard let r else { return [] }
        if r.endsAt <= now { return r.endsAt.timeIntervalSince1970 > from - 86_400 ? ["on_call_expired"] : [] }
        return r.reportedRole == "coordinator" ? ["on_call_heard_by_phone"] : []
    }

    /// The layers merged over `[from, to)` (seconds since 1970): at each moment the strongest basis
    /// that covers it; unknown where published hours say so or where no hours are published at all.
    /// `staleArea`: the provider's declared area is stale, so only an on-call report still covers.
    static func timeline(roundTheClock: Bool, nightService: Bool, hours: [OpeningHours], report: OnCallReport?,
                         from: Double, to: Double, now: Date, staleArea: Bool = false) -> Timeline {
        if staleArea {
            return timeline(roundTheClock: false, nightService: false, hours: [staleMarker], report: report, from: from, to: to, now: now)
        }
        enum Piece { case covered(AvailabilityBasis), unknown, closed }
        func date(_ t: Double) -> Date { Date(timeIntervalSince1970: t) }
        // Each layer: intervals in seconds with what they say.
        var layers: [(Double, Double, Piece)] = []
        if roundTheClock {
            layers.append((from, to, .covered(.capability)))
        } else if nightService {
            for i in Self.nightService.intervals(from: date(from), to: date(to)) where i.state == .open {
                layers.append((i.from.timeIntervalSince1970, i.to.timeIntervalSince1970, .covered(.capability)))
            }
        }
        if let r = report, r.endsAt > now {
            let a = max(from, r.startsAt.timeIntervalSince1970), b = min(to, r.endsAt.timeIntervalSince1970)
            if b > a { layers.append((a, b, .covered(.onCall))) }
        }
        for rules in hours {
            for i in rules.intervals(from: date(from), to: date(to)) {
                let piece: Piece = i.state == .open ? .covered(.hours) : i.state == .unknown ? .unknown : .closed
                layers.append((i.from.timeIntervalSince1970, i.to.timeIntervalSince1970, piece))
            }
        }
        var cuts = Set([from, to])
        for l in layers { cuts.insert(l.0); cuts.insert(l.1) }
        let points = cuts.sorted()
        var covered: [CoveredInterval] = []
        var coveredSeconds = 0.0, unknownSeconds = 0.0
        var states: [(Double, Bool)] = []
        for k in 0..<(points.count - 1) {
            let a = points[k], b = points[k + 1], mid = (a + b) / 2
            var best: AvailabilityBasis?
            var unknown = hours.isEmpty
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
                    covered[covered.count - 1].to = date(b)
                } else {
                    covered.append(CoveredInterval(from: date(a), to: date(b), basis: best))
                }
            } else if unknown {
                unknownSeconds += b - a
            }
        }
        let next = states.indices.dropFirst().first { states[$0].1 != states[$0 - 1].1 }.map { date(states[$0].0) }
        let status: CoverageStatus? = coveredSeconds >= to - from ? .covered : coveredSeconds > 0 ? .partial : unknownSeconds > 0 ? .unknown : nil
        return Timeline(status: status, basis: covered.map(\.basis).min(), covered: covered, nextChange: next)
    }
}

extension CoverageIndex {
    typealias Timeline = Availability.Timeline

    /// A provider's availability for a service over `[from, to)`, from its capabilities, its hours for
    /// that service and an on-call report.
    func availability(_ p: Provider, service: ServiceKind, from: Double, to: Double, report: OnCallReport?, now: Date) -> Timeline {
        var t = Availability.timeline(
            roundTheClock: Availability.roundTheClock(p.capabilities, service), nightService: service == .nightHomeCare,
            hours: p.hours.filter { $0.service == nil || $0.service == service }.map { rules[Int($0.rules)] }, report: report,
            from: from, to: to, now: now, staleArea: p.staleAreas.contains(service))
        t.preference = Ranking.preference(p.capabilities, service)
        return t
    }
}
