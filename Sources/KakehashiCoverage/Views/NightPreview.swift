import Foundation
import KakehashiHours
import KakehashiModel

/// The next seven nights of a provider as the lookup will answer them, from hours (declared, or
/// about to be) and its capabilities: for the desk's form, before anything is saved.
public struct NightPreview: Sendable, Encodable {
    public struct Night: Sendable, Encodable {
        /// `12月6日の夜`.
        public var name: String
        public var from: Date
        public var to: Date
        /// `covered`, `partial`, `unknown` or `closed`.
        public var status: String
        public var covered: [CoveredInterval]
    }

    public var openingHours: String?
    public var nights: [Night]

    /// Throws the parser's ``OpeningHoursError`` (with its position) for hours it cannot read.
    public init(hours text: String?, capabilities: Set<Capability>, service: ServiceKind?, from now: Date) throws {
        let hours = try text.map { try OpeningHours($0) }
        openingHours = text
        let first = CoverageWindow.night(at: now)
        nights = (0..<7).map { k in
            let w = CoverageWindow.tonight(CivilDate(dayNumber: first.dayNumber + k))
            let t = Availability.timeline(
                roundTheClock: service.map { Availability.roundTheClock(capabilities, $0) } ?? false, nightService: service == .nightHomeCare,
                hours: hours.map { [$0] } ?? [], report: nil, from: w.from.timeIntervalSince1970, to: w.to.timeIntervalSince1970, now: now)
            return Night(name: w.nightName ?? "", from: w.from, to: w.to, status: t.status?.rawValue ?? "closed", covered: t.covered)
        }
    }
}
