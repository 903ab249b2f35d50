import Foundation
import KakehashiGeo
import KakehashiHours
import KakehashiModel
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
